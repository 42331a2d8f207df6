from datetime import timedelta

import pytest
from django.utils import timezone

from brobyg.peercare import services
from brobyg.peercare.models import SessionKind, SupervisionSession
from brobyg.test import in_org, make_member, make_peer, make_user


@pytest.fixture
def pia_peer(personas):
    user = make_user("pia@example.org", "Pia Holm")
    make_member(personas.org_a, user, ["peer"])
    return make_peer(personas.org_a, user, [personas.programme_a])


def held_session(personas, peers, *, days_ago=3, kind=SessionKind.INDIVIDUAL, supervisor=None):
    with in_org(personas.org_a):
        session = SupervisionSession.objects.create(
            organisation=personas.org_a,
            kind=kind,
            supervisor=supervisor or personas.sara,
            held_on=timezone.localdate() - timedelta(days=days_ago),
            created_by=supervisor or personas.sara,
        )
        services.attendance_record(session, peers)
    return session
