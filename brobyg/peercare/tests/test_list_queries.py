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


def test_a_coverage_row_links_to_its_peer_with_its_status_and_checklist(client, personas, bob_peer):
    """The rows' links, status labels and "Complete" are built once per page (not per row in
    the template): they say what the peer's own link, label and checklist say."""
    from django.utils import translation

    from brobyg.peercare.models import TrainingKind

    _peers(personas, 2, 0)
    client.force_login(personas.alice)
    client.post(
        reverse("peercare_programme", args=[personas.programme_a.public_id]),
        {"tasks": "Samtaler", "not_tasks": "", "when_worried": "", "supervision_weeks": 6},
    )
    client.post(
        reverse("peercare_training_add", args=[bob_peer.public_id]),
        {"kind": TrainingKind.EDUCATION, "title": "Peer-uddannelsen", "completed_on": "2026-01-10"},
    )
    client.post(
        reverse("peercare_peer_supervisor", args=[bob_peer.public_id]),
        {"supervisor": str(personas.sara.public_id)},
    )
    client.force_login(personas.bob)
    client.post(reverse("peercare_own_confirm_role", args=[personas.programme_a.public_id]))
    with scopes_disabled():
        Peer.objects.filter(user__full_name="Peer 001").update(status="paused")
    client.force_login(personas.alice)
    response = client.get(reverse("peercare_overview"))
    page = response.content.decode()
    rows = response.context["rows"]
    assert len(rows) == 3
    with translation.override("da"):
        for row in rows:
            url = reverse("peercare_peer", args=[row.peer.public_id])
            assert row.url == url and f'href="{url}"' in page
            assert row.status_label == row.peer.get_status_display()
            assert row.status_label in page
            assert row.checklist_complete == all(item["done"] for item in row.checklist)
    assert [row.checklist_complete for row in rows if row.peer == bob_peer] == [True]
    assert not any(row.checklist_complete for row in rows if row.peer != bob_peer)
    (paused,) = [row for row in rows if row.peer.status == "paused"]
    assert f'<span class="tag tag--flag">{paused.status_label}</span>' in page
