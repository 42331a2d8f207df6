"""List pages cost the same number of queries however many rows they show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brobyg.support import services
from brobyg.support.models import Community, FollowUp
from brobyg.test import assert_queries_do_not_grow, in_org, make_programme, make_waiting_request


def _courses(personas, peer, count):
    other = make_programme(personas.org_a, f"Frivillig {count}")
    with in_org(personas.org_a):
        for number in range(count):
            support_request, _token = make_waiting_request(
                personas.programme_a,
                name=f"Borger {count}-{number}",
                phone=f"30{count:02d}{number:04d}",
            )
            course = services.course_create(
                actor=personas.alice,
                citizen=support_request.citizen,
                programme=personas.programme_a,
                peers=[peer],
                data={"started_on": timezone.localdate() - timedelta(days=200)},
            )
            community = Community.objects.create(
                organisation=personas.org_a, name=f"Klub {count}-{number}", kind="sport"
            )
            services.community_join(
                actor=personas.alice,
                course=course,
                community=community,
                joined_on=timezone.localdate() - timedelta(days=100),
            )
            services.handover_propose(
                actor=personas.alice, course=course, receiving_programme=other, reason="Klar."
            )
            services.session_plan(
                actor=personas.bob,
                course=course,
                data={"starts_at": timezone.now() + timedelta(hours=number + 1)},
            )


@pytest.mark.parametrize(
    "url_name, user",
    [
        ("support_handover_list", "alice"),
        ("support_follow_up_list", "alice"),
        ("support_community_list", "alice"),
        ("support_calendar", "bob"),
        ("support_course_list", "bob"),
        ("support_course_list", "alice"),
        ("start", "alice"),
        ("start", "bob"),
    ],
)
def test_lists_do_not_grow_in_queries(client, personas, bob_peer, url_name, user):
    client.force_login(getattr(personas, user))
    _courses(personas, bob_peer, 2)
    with in_org(personas.org_a):
        assert FollowUp.objects.exists()  # the follow-up list has rows to show
    assert_queries_do_not_grow(
        client, reverse(url_name), grow=lambda: _courses(personas, bob_peer, 8)
    )
