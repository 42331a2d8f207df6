import pytest
from django.utils import timezone

from brobyg.support import services as support_services
from brobyg.support.models import Session, SessionStatus
from brobyg.test import in_org, make_peer, make_waiting_request


@pytest.fixture
def lone(personas):
    """A citizen of organisation A with a request, a course with goals and a held session."""
    support_request, _token = make_waiting_request(
        personas.programme_a,
        name="Lone Holm",
        email="lone@example.org",
        request_data={
            "purposes": ["wellbeing"],
            "forms": ["individual"],
            "own_words": "Jeg vil gerne ud af lejligheden.",
        },
    )
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    with in_org(personas.org_a):
        course = support_services.course_create(
            actor=personas.alice,
            citizen=support_request.citizen,
            programme=personas.programme_a,
            peers=[peer],
            data={},
            goals="Komme ud blandt andre igen.",
            support_request=support_request,
        )
        Session.objects.create(
            organisation=personas.org_a,
            course=course,
            status=SessionStatus.HELD,
            starts_at=timezone.now(),
            note="Vi talte om hendes søster.",
        )
    return support_request.citizen
