"""The coordinator's start page names a quiet course's peers (read as names only,
``selectors.with_peer_names``), in the order they joined the course, escaped."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.orgs.choices import Role
from brobyg.support.models import Course
from brobyg.test import make_member, make_peer, make_user


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
