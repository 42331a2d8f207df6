"""The coordinator's start page names a quiet course's peers (read as names only,
``selectors.with_peer_names``), in the order they joined the course, escaped; the peer's week
reads only the columns it shows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.orgs.choices import Role
from brobyg.support import services
from brobyg.support.models import Course
from brobyg.test import assert_queries_do_not_grow, in_org, make_member, make_peer, make_user


@time_machine.travel(datetime(2027, 5, 12, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE)))
def test_a_quiet_course_names_its_peers_in_the_order_they_joined(client, english, personas, course):
    with scopes_disabled():
        user = make_user("ida@example.org", "Ida <Ny> Berg")
        make_member(personas.org_a, user, [Role.PEER])
        ida = make_peer(personas.org_a, user, [personas.programme_a])
        course.peers.add(ida)
        Course.objects.filter(pk=course.pk).update(
            last_session_at=timezone.now() - timedelta(days=22)
        )
    client.force_login(personas.alice)
    page = client.get(reverse("start")).content.decode()
    assert f"({personas.bob.full_name}, Ida &lt;Ny&gt; Berg;" in page
    assert "22 days" in page


@time_machine.travel(datetime(2027, 5, 12, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE)))
def test_the_peers_week_does_not_grow_in_queries_and_logs_whom_it_shows(
    client, english, personas, course
):
    def plan(days):
        with in_org(personas.org_a):
            for day in days:
                services.session_plan(
                    actor=personas.bob,
                    course=course,
                    data={"starts_at": timezone.now() + timedelta(days=day), "place": "Café"},
                )

    plan([1])
    client.force_login(personas.bob)
    response = assert_queries_do_not_grow(client, reverse("start"), grow=lambda: plan([2, 3, 4]))
    page = response.content.decode()
    assert page.count("Appointment: Lone Holm") == 4
    with scopes_disabled():
        assert LogEntry.objects.filter(
            reason="start page: my week and quiet courses",
            subject_id=str(course.citizen.public_id),
        ).exists()
