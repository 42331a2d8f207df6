"""Peer care's overview costs the same queries however many peers it shows, and pages its
coverage table while "Needs attention" still names every flagged peer."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.people.models import Peer
from brobyg.test import assert_queries_do_not_grow, make_member, make_peer, make_user


def _peers(personas, count, start):
    with scopes_disabled():
        for number in range(start, start + count):
            user = make_user(f"peer{number}@example.org", f"Peer {number:03d}")
            make_member(personas.org_a, user, ["peer"])
            peer = make_peer(personas.org_a, user, [personas.programme_a])
            # A year without supervision: overdue.
            Peer.objects.filter(pk=peer.pk).update(created_at=timezone.now() - timedelta(days=365))


def test_peer_care_does_not_grow_in_queries(client, personas):
    _peers(personas, 2, 0)
    client.force_login(personas.alice)
    assert_queries_do_not_grow(
        client, reverse("peercare_overview"), grow=lambda: _peers(personas, 8, 100)
    )


def test_peer_care_shows_a_page_of_the_table_and_every_flag(client, personas, monkeypatch):
    monkeypatch.setattr("brobyg.lib.pagination.PAGE_SIZE", 3)
    _peers(personas, 7, 0)
    client.force_login(personas.alice)
    response = client.get(reverse("peercare_overview"))
    assert len(response.context["rows"]) == 3
    assert response.context["page"].paginator.count == 7
    # A year without supervision: every peer is overdue, whichever page the table shows.
    assert len(response.context["flagged"]) == 7
    second = client.get(reverse("peercare_overview"), {"page": 3})
    assert [row.peer.user.full_name for row in second.context["rows"]] == ["Peer 006"]
