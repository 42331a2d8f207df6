"""A process killed (SIGKILL) in the middle of a multi-step write leaves nothing behind: the
hand-over acceptance and the import of earlier answers happen completely or not at all."""

import pytest
from django.urls import reverse

from brobyg.lib.tests.crash import ChildDatabase
from brobyg.outcomes.tests.test_import import GOOD
from brobyg.support.models import Handover, HandoverStatus
from brobyg.support.tests.test_handover import handover  # noqa: F401 - a fixture
from brobyg.test import in_org

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hand_over_acceptance_killed_half_way_leaves_nothing(
    client,
    personas,
    handover,  # noqa: F811
    vera_peer,
    tmp_path,
):
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact"], "method": "in_person"},
    )
    with in_org(personas.org_a):
        handover.refresh_from_db()
    assert handover.status == HandoverStatus.CONSENTED
    database = ChildDatabase(tmp_path)
    before = database.counts()
    # Killed after the citizen copy, the course, the hand-over's new state and both meetings were
    # written, with only the follow-ups' audit entry left to do.
    database.kill_at_die_here(
        f"""
        from datetime import timedelta
        from django.utils import timezone
        from django_scopes import scope, scopes_disabled
        from brobyg.orgs.models import User
        from brobyg.people.models import Peer
        from brobyg.support import services, services_handovers
        from brobyg.support.models import Course, Handover

        follow_ups = services_handovers.plan_follow_ups

        def follow_ups_then_die(*args, **kwargs):
            follow_ups(*args, **kwargs)
            with scopes_disabled():
                assert Course.objects.filter(organisation_id={personas.org_b.pk}).exists()
            die_here()

        services_handovers.plan_follow_ups = follow_ups_then_die
        with scopes_disabled():
            handover = Handover.objects.get(pk={handover.pk})
            peer = Peer.objects.get(pk={vera_peer.pk})
        with scope(organisation=handover.receiving_organisation_id):
            services.handover_accept(
                actor=User.objects.get(pk={personas.carl.pk}),
                handover=handover,
                peer=peer,
                meeting_at=timezone.now() + timedelta(days=5),
            )
        """
    )
    assert database.counts() == before
    assert (
        database.scalar(f"SELECT status FROM support_handover WHERE id = {handover.pk}")
        == HandoverStatus.CONSENTED
    )
    if database.path is None:  # the same database: the hand-over can still be accepted
        with in_org(personas.org_a):
            assert Handover.objects.get(pk=handover.pk).to_course is None


def test_an_import_killed_half_way_leaves_nothing(personas, tmp_path):
    from brobyg.outcomes.loading import instruments_load_shipped

    with in_org(personas.org_a):
        instruments_load_shipped()
    data = tmp_path / "earlier.csv"
    data.write_text(GOOD, encoding="utf-8")
    database = ChildDatabase(tmp_path)
    before = database.counts()
    # Killed after the pseudonymous citizens and the responses were written, while scoring.
    database.kill_at_die_here(
        f"""
        from django.core.management import call_command
        from django_scopes import scopes_disabled
        from brobyg.outcomes.models import Response, Score

        def score_then_die(cls, *args, **kwargs):
            with scopes_disabled():
                assert Response.objects.filter(organisation_id={personas.org_a.pk}).exists()
            die_here()

        Score.for_response = classmethod(score_then_die)
        call_command("import_responses", {str(data)!r}, organisation="{personas.org_a.public_id}")
        """
    )
    assert database.counts() == before
