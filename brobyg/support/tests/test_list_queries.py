"""List pages cost the same number of queries however many rows they show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brobyg.support import services
from brobyg.support.models import Community, Course, FollowUp
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


def test_a_course_row_shows_its_citizen_link_peers_and_status(client, personas, bob_peer):
    """The rows' links and status labels are built once per page: each row still shows its
    own."""
    _courses(personas, bob_peer, 1)
    with in_org(personas.org_a):
        planned = services.course_create(
            actor=personas.alice,
            citizen=make_waiting_request(personas.programme_a, name="Fremtid", phone="31000000")[
                0
            ].citizen,
            programme=personas.programme_a,
            peers=[bob_peer],
            data={"started_on": timezone.localdate() + timedelta(days=3)},
        )
        active = Course.objects.exclude(pk=planned.pk).get(citizen__name="Borger 1-0")
    client.force_login(personas.alice)
    body = client.get(reverse("support_course_list")).content.decode().split("<tbody>")[1]
    rows = body.split("</tbody>")[0].split("<tr>")[1:]
    planned_row = next(row for row in rows if "Fremtid" in row)
    active_row = next(row for row in rows if "Borger 1-0" in row)
    assert f'href="{reverse("support_course_detail", args=[planned.public_id])}"' in planned_row
    assert f'href="{reverse("support_course_detail", args=[active.public_id])}"' in active_row
    assert "<td>Planlagt" in planned_row
    assert "<td>Aktiv" in active_row
    assert f"<td>{bob_peer.user.full_name}</td>" in active_row
    assert "stille i" in active_row  # started 200 days ago, no session held since
