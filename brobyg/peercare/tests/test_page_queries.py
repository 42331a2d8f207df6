"""Peer care's overview and a peer's own page cost the same queries however many peers the
organisation has and however many of them need attention, within the pages' budget of 15
(the tests' count has no session save or second-factor read beyond the benchmark's)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.matching import services as matching_services
from brobyg.peercare import extensions, selectors, services
from brobyg.peercare.extensions import PeerCareSection
from brobyg.peercare.models import TrainingKind, TrainingRecord
from brobyg.peercare.tests.conftest import held_session
from brobyg.people.models import Peer, PeerStatus
from brobyg.test import (
    assert_queries_do_not_grow,
    in_org,
    make_member,
    make_peer,
    make_user,
    make_waiting_request,
)

# A fixed Wednesday noon: no rule here may depend on the hour, the weekday or the date.
NOON = datetime(2027, 3, 10, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
BUDGET = 15


def _peer(personas, name, *, kind="paid", status=PeerStatus.ACTIVE, days_ago=365):
    with scopes_disabled():
        user = make_user(f"{name.lower().replace(' ', '.')}@example.org", name)
        make_member(personas.org_a, user, ["peer"])
        peer = make_peer(personas.org_a, user, [personas.programme_a], kind=kind, status=status)
        Peer.objects.filter(pk=peer.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return peer


def _record(personas, peer, *, expires_in, title="First aid"):
    today = timezone.localdate()
    with scopes_disabled():
        TrainingRecord.objects.create(
            organisation=personas.org_a,
            peer=peer,
            kind=TrainingKind.CREDENTIAL,
            title=title,
            completed_on=today - timedelta(days=300),
            expires_on=today + timedelta(days=expires_in),
            recorded_by=personas.alice,
        )


def _peers_of_every_kind(personas, start, count):
    """Overdue, expiring, supervised, paused and (by the test's section) volunteer peers."""
    for number in range(start, start + count):
        _peer(personas, f"Overdue {number:03d}")
        expiring = _peer(personas, f"Expiring {number:03d}")
        supervised = _peer(personas, f"Supervised {number:03d}")
        held_session(personas, [expiring, supervised], days_ago=3)
        _record(personas, expiring, expires_in=10)
        _peer(personas, f"Paused {number:03d}", status=PeerStatus.PAUSED)
        _peer(personas, f"Volunteer {number:03d}", kind="volunteer", days_ago=1)


def _volunteer_flags(organisation, peer_ids):
    """A section standing in for the check-ins: one query, labels for the volunteers."""
    volunteers = Peer.objects.filter(organisation=organisation, pk__in=peer_ids, kind="volunteer")
    return {pk: ["Volunteer"] for pk in volunteers.values_list("pk", flat=True)}


def _with_section(monkeypatch):
    monkeypatch.setitem(
        extensions._SECTIONS,
        "volunteers",
        PeerCareSection(
            name="volunteers",
            peer_template="peercare/_records.html",
            peer_build=lambda request, peer: {},
            flags=_volunteer_flags,
            flagged=lambda organisation: Q(kind="volunteer"),
        ),
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(NOON, tick=False)
def test_the_overview_costs_the_same_queries_however_many_peers_need_attention(
    client, personas, monkeypatch
):
    _with_section(monkeypatch)
    _peers_of_every_kind(personas, 0, 2)
    client.force_login(personas.alice)
    url = reverse("peercare_overview")
    response = assert_queries_do_not_grow(
        client, url, grow=lambda: _peers_of_every_kind(personas, 100, 12)
    )
    # The first flagged peers are named (overdue, expiring, the section's volunteers) with a
    # link to all of them; the table shows a page of the 70 peers.
    assert len(response.context["flagged"]) == selectors.ATTENTION_SHOWN
    assert response.context["more"] == 14 * 3 - selectors.ATTENTION_SHOWN
    assert reverse("peercare_attention") in response.content.decode()
    assert response.context["page"].paginator.count == 14 * 5
    assert len(response.context["rows"]) == 50
    assert _count(client, url) <= BUDGET


@time_machine.travel(NOON, tick=False)
def test_needs_attention_pages_through_every_flagged_peer_in_the_same_queries(
    client, personas, monkeypatch
):
    monkeypatch.setattr("brobyg.lib.pagination.PAGE_SIZE", 4)
    _with_section(monkeypatch)
    _peers_of_every_kind(personas, 0, 1)
    client.force_login(personas.alice)
    url = reverse("peercare_attention")
    assert_queries_do_not_grow(client, url, grow=lambda: _peers_of_every_kind(personas, 100, 3))
    with in_org(personas.org_a):
        every = selectors.needs_attention(personas.org_a)
    assert every.count == 4 * 3
    named = []
    for number in (1, 2, 3):
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        for row in response.context["flagged"]:
            assert row.flags or row.other_flags
            assert row.url in response.content.decode()
        named += [row.peer.user.full_name for row in response.context["flagged"]]
    assert named == [row.peer.user.full_name for row in every.rows]
    assert _count(client, url) <= BUDGET


@time_machine.travel(NOON, tick=False)
def test_the_overview_counts_its_table_when_nobody_needs_attention(client, personas):
    for number in range(3):
        held_session(personas, [_peer(personas, f"Covered {number}")], days_ago=3)
    client.force_login(personas.alice)
    response = client.get(reverse("peercare_overview"))
    assert response.context["flagged"] == []
    assert response.context["more"] == 0
    assert response.context["page"].paginator.count == 3


@time_machine.travel(NOON, tick=False)
def test_the_overview_names_the_first_flagged_peers_by_name_and_counts_the_peers_cared_for(
    client, personas, monkeypatch
):
    monkeypatch.setattr(selectors, "ATTENTION_SHOWN", 3)
    _peers_of_every_kind(personas, 0, 2)
    _peer(personas, "Ended", status=PeerStatus.ENDED)
    client.force_login(personas.alice)
    response = client.get(reverse("peercare_overview"))
    assert [row.peer.user.full_name for row in response.context["flagged"]] == [
        "Expiring 000",
        "Expiring 001",
        "Overdue 000",
    ]
    assert response.context["more"] == 1
    with in_org(personas.org_a):
        cared = selectors.peers_cared_for(personas.org_a).count()
    assert response.context["page"].paginator.count == cared == 10


@time_machine.travel(NOON, tick=False)
def test_a_peers_own_page_costs_the_same_queries_however_many_peers_and_records(
    client, personas, bob_peer
):
    def grow():
        _peers_of_every_kind(personas, 100, 3)
        for days_ago in (3, 40, 80):
            held_session(personas, [bob_peer], days_ago=days_ago)
            _record(personas, bob_peer, expires_in=100 + days_ago, title=f"Module {days_ago}")

    held_session(personas, [bob_peer], days_ago=100)
    _record(personas, bob_peer, expires_in=5)
    client.force_login(personas.bob)
    url = reverse("peercare_own")
    response = assert_queries_do_not_grow(client, url, grow=grow)
    assert len(response.context["sessions"]) == 4
    assert len(response.context["records"]) == 4
    assert _count(client, url) <= BUDGET


@time_machine.travel(NOON, tick=False)
def test_a_peers_own_page_counts_the_proposals_waiting_for_them(client, personas, bob_peer):
    support_request, _token = make_waiting_request(personas.programme_a)
    with in_org(personas.org_a):
        matching_services.match_propose(
            actor=personas.alice, support_request=support_request, peer=bob_peer
        )
        services.pause_take(actor=personas.bob, peer=bob_peer, reason="")
    client.force_login(personas.bob)
    response = client.get(reverse("peercare_own"))
    assert response.context["waiting_proposals"] == 1
    assert response.context["can_resume"]


@time_machine.travel(NOON, tick=False)
def test_rows_are_the_same_whether_the_peers_come_with_their_care_or_not(personas, bob_peer):
    _peers_of_every_kind(personas, 0, 1)
    held_session(personas, [bob_peer], days_ago=400)
    held_session(personas, [bob_peer], days_ago=20)
    with in_org(personas.org_a):
        services.supervisor_assign(actor=personas.alice, peer=bob_peer, supervisor=personas.sara)
        plain = list(Peer.objects.filter(organisation=personas.org_a).order_by("pk"))
        cared = list(selectors.coverage_peers(personas.org_a).order_by("pk"))
        assert [peer.pk for peer in plain] == [peer.pk for peer in cared]

        def facts(rows):
            return [
                (
                    row.peer.pk,
                    row.weeks,
                    row.last_supervision,
                    row.sessions_last_year,
                    row.due_on,
                    row.overdue,
                    row.supervisor,
                    [flag.kind for flag in row.flags],
                    row.checklist_complete,
                )
                for row in rows
            ]

        assert facts(selectors.peer_care_rows(personas.org_a, plain)) == facts(
            selectors.peer_care_rows(personas.org_a, cared)
        )
        (bob,) = [
            row for row in selectors.peer_care_rows(personas.org_a, cared) if row.peer == bob_peer
        ]
    assert bob.sessions_last_year == 1
    assert bob.supervisor == personas.sara
