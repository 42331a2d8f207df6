import pytest
from django.utils import timezone

from brobyg.support.models import Session, SessionStatus
from brobyg.test import in_org, make_course, make_peer


@pytest.fixture
def lone(personas):
    """A citizen of organisation A with a request, a course with goals and a held session."""
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    course = make_course(
        personas.programme_a,
        peer,
        actor=personas.alice,
        goals="Komme ud blandt andre igen.",
        name="Lone Holm",
        email="lone@example.org",
        request_data={
            "purposes": ["wellbeing"],
            "forms": ["individual"],
            "own_words": "Jeg vil gerne ud af lejligheden.",
        },
    )
    with in_org(personas.org_a):
        Session.objects.create(
            organisation=personas.org_a,
            course=course,
            status=SessionStatus.HELD,
            starts_at=timezone.now(),
            note="Vi talte om hendes søster.",
        )
    return course.citizen
