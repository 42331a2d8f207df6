"""Role description and onboarding; load through the registry; the peer's own pathway."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from brobyg.peercare import extensions, services
from brobyg.peercare.models import PathwayEntry, TrainingKind
from brobyg.people.models import Peer, PeerStatus
from brobyg.test import in_org, make_member, make_peer, make_user


def test_onboarding_checklist_then_the_coordinator_makes_the_peer_active(
    client, english, personas, bob_peer
):
    with in_org(personas.org_a):
        Peer.objects.filter(pk=bob_peer.pk).update(status=PeerStatus.ONBOARDING)
    client.force_login(personas.alice)
    response = client.post(
        reverse("peercare_programme", args=[personas.programme_a.public_id]),
        {
            "tasks": "Samtaler og følgeskab",
            "not_tasks": "Behandling",
            "when_worried": "Ring til Alice",
            "supervision_weeks": 6,
        },
    )
    assert response.status_code == 302
    activate = reverse("peercare_peer_activate", args=[bob_peer.public_id])
    client.post(activate)  # the checklist is not complete yet
    with in_org(personas.org_a):
        assert Peer.objects.get(pk=bob_peer.pk).status == PeerStatus.ONBOARDING
    client.post(
        reverse("peercare_training_add", args=[bob_peer.public_id]),
        {"kind": TrainingKind.EDUCATION, "title": "Peer-uddannelsen", "completed_on": "2026-01-10"},
    )
    client.post(
        reverse("peercare_peer_supervisor", args=[bob_peer.public_id]),
        {"supervisor": str(personas.sara.public_id)},
    )
    client.force_login(personas.bob)
    page = client.get(reverse("peercare_own")).content.decode()
    assert "Samtaler og følgeskab" in page and "Ring til Alice" in page
    client.post(reverse("peercare_own_confirm_role", args=[personas.programme_a.public_id]))
    client.force_login(personas.alice)
    client.post(activate)
    with in_org(personas.org_a):
        assert Peer.objects.get(pk=bob_peer.pk).status == PeerStatus.ACTIVE


def test_activation_waits_for_a_complete_checklist(personas, bob_peer):
    with in_org(personas.org_a):
        Peer.objects.filter(pk=bob_peer.pk).update(status=PeerStatus.ONBOARDING)
    with scope(organisation=personas.org_a.pk), pytest.raises(ValidationError):
        services.peer_activate(actor=personas.alice, peer=bob_peer)


def test_a_changed_role_description_is_confirmed_again(personas, bob_peer):
    with scope(organisation=personas.org_a.pk):
        services.care_update(
            actor=personas.alice, programme=personas.programme_a, data={"tasks": "A"}
        )
        services.role_confirm(actor=personas.bob, peer=bob_peer, programme=personas.programme_a)
        from brobyg.peercare import selectors

        (row,) = selectors.peer_care_rows(personas.org_a, [bob_peer])
        assert row.role_confirmed
        services.care_update(
            actor=personas.alice, programme=personas.programme_a, data={"tasks": "B"}
        )
        (row,) = selectors.peer_care_rows(personas.org_a, [bob_peer])
        assert not row.role_confirmed


def test_training_form_errors_keep_what_was_typed(client, english, personas, bob_peer):
    client.force_login(personas.alice)
    response = client.post(
        reverse("peercare_training_add", args=[bob_peer.public_id]),
        {"kind": TrainingKind.CHILD_PROTECTION, "completed_on": "2026-01-10", "expires_on": ""},
    )
    assert response.status_code == 200
    assert "needs an expiry date" in response.content.decode()
    assert "2026-01-10" in response.content.decode()


@pytest.fixture
def fake_source():
    calls = []

    def provider(organisation, peer_ids, month_start, month_end):
        calls.append((month_start, month_end))
        return {peer_id: 2 for peer_id in peer_ids}

    extensions.register_load_source(
        "fake_courses", "Fake courses", provider, counts_against_capacity=True
    )
    yield calls
    extensions.unregister_load_source("fake_courses")


def test_load_adds_registered_figures_against_capacity(
    client, english, personas, bob_peer, fake_source
):
    client.force_login(personas.alice)
    page = client.get(reverse("peercare_load"), {"month": "2026-02"}).content.decode()
    assert "Fake courses" in page and "Proposals waiting" in page and "Live courses" in page
    assert "2 of 3" in page
    assert fake_source == [(date(2026, 2, 1), date(2026, 2, 28))]


def test_load_and_overview_queries_do_not_grow_with_peers(client, personas, bob_peer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.alice)
    pages = [reverse("peercare_overview"), reverse("peercare_load"), reverse("start")]
    for url in pages:
        client.get(url)
    few = {}
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        few[url] = len(queries)
    for number in range(6):
        user = make_user(f"peer{number}@example.org", f"Peer {number}")
        make_member(personas.org_a, user, ["peer"])
        make_peer(personas.org_a, user, [personas.programme_a])
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == few[url], url


def test_the_pathway_is_the_peers_own_and_printable(client, english, personas, bob_peer):
    client.force_login(personas.bob)
    response = client.post(
        reverse("peercare_own_pathway"),
        {
            "kind": "skill",
            "title": "Leading a recovery group",
            "happened_on": timezone.localdate().isoformat(),
            "on_statement": "on",
        },
    )
    assert response.status_code == 302
    statement = client.get(reverse("peercare_own_statement")).content.decode()
    assert "Leading a recovery group" in statement and "Skills statement" in statement
    client.force_login(personas.alice)
    page = client.get(reverse("peercare_peer", args=[bob_peer.public_id])).content.decode()
    assert "Leading a recovery group" not in page
    with in_org(personas.org_a):
        entry = PathwayEntry.objects.get()
    client.force_login(personas.bob)
    client.post(reverse("peercare_own_pathway_delete", args=[entry.public_id]))
    with in_org(personas.org_a):
        assert not PathwayEntry.objects.exists()


# Mid-month: "this month" holds sessions of the last two hours (at 00:30 on the 1st it would not).
@time_machine.travel(datetime(2027, 5, 12, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE)))
def test_load_counts_courses_sessions_hours_and_groups(client, english, personas, bob_peer):
    from datetime import timedelta

    from brobyg.groups.models import GroupCourse, GroupStatus
    from brobyg.groups.tests.helpers import make_group
    from brobyg.support import services as support_services
    from brobyg.test import make_waiting_request

    today = timezone.localdate()
    with in_org(personas.org_a):
        support_request, _token = make_waiting_request(personas.programme_a, name="Lone Holm")
        course = support_services.course_create(
            actor=personas.alice,
            citizen=support_request.citizen,
            programme=personas.programme_a,
            peers=[bob_peer],
            data={"started_on": today - timedelta(days=40)},
        )
        for hours_ago in (1, 2):
            support_services.session_log(
                actor=personas.bob,
                course=course,
                data={
                    "starts_at": timezone.now() - timedelta(hours=hours_ago),
                    "duration_minutes": 90,
                },
            )
    group = make_group(personas, facilitators=[bob_peer])
    with in_org(personas.org_a):
        GroupCourse.objects.filter(pk=group.pk).update(status=GroupStatus.RUNNING)
    client.force_login(personas.alice)
    page = client.get(reverse("peercare_load")).content.decode()
    row = page[page.index("Bob Nielsen") :]
    row = row[: row.index("</tr>")]
    # one live course of three places; two sessions of 90 minutes; one group
    assert "1 of 3" in row and ">2<" in row and "3.0" in row and ">1<" in row
