"""The audit log pages by (time, id) without counting its rows, keeps its filters from page to
page, and costs the same queries however long the log."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brobyg.audit.models import LogEntry
from brobyg.audit.services import log_action
from brobyg.test import assert_queries_do_not_grow


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("brobyg.lib.pagination.PAGE_SIZE", 4)


def _reads(personas, count):
    for _ in range(count):
        log_action(
            action="read",
            actor=personas.alice,
            organisation=personas.org_a,
            subject=personas.bob,
            target=personas.bob_membership,
        )


def _older_link(response) -> str:
    return response.context["page"].older


def test_it_walks_every_entry_once_older_and_back_newer(client, personas, small_pages):
    _reads(personas, 10)
    client.force_login(personas.per)
    url = reverse("audit_entry_list")
    first = client.get(url, {"action": "read"})
    seen = [entry.pk for entry in first.context["page"]]
    assert first.context["page"].is_first and not first.context["page"].has_previous
    response = first
    pages = [seen]
    while response.context["page"].has_next:
        response = client.get(url, {"action": "read", "older": _older_link(response)})
        pages.append([entry.pk for entry in response.context["page"]])
    reads = list(
        LogEntry.objects.filter(organisation=personas.org_a, action="read")
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    assert [pk for page in pages for pk in page] == reads
    assert len(pages) == 3
    back = client.get(url, {"action": "read", "newer": response.context["page"].newer})
    assert [entry.pk for entry in back.context["page"]] == pages[-2]
    html = back.content.decode()
    assert "action=read" in html  # the links keep the filter
    assert "Nyeste" in html or "Newest" in html


def test_it_orders_entries_of_the_same_moment_by_id(client, personas, small_pages):
    moment = timezone.now() - timedelta(hours=1)
    for _ in range(6):
        LogEntry.objects.create(action="update", organisation=personas.org_a, created_at=moment)
    client.force_login(personas.per)
    url = reverse("audit_entry_list")
    first = client.get(url, {"action": "update"})
    second = client.get(url, {"action": "update", "older": first.context["page"].older})
    shown = [e.pk for e in first.context["page"]] + [e.pk for e in second.context["page"]]
    assert sorted(shown, reverse=True) == shown
    assert len(set(shown)) == 6


def test_it_shows_the_first_page_for_a_malformed_cursor(client, personas):
    _reads(personas, 2)
    client.force_login(personas.per)
    for cursor in ("x", "2026-01-01T00:00:00~abc", "2026-01-01T00:00:00~1", "~"):
        response = client.get(reverse("audit_entry_list"), {"older": cursor})
        assert response.status_code == 200
        assert response.context["page"].is_first


def test_it_never_counts_the_log(client, personas):
    _reads(personas, 3)
    client.force_login(personas.per)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("audit_entry_list"))
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_log_does_not_grow_in_queries(client, personas, small_pages):
    _reads(personas, 5)
    client.force_login(personas.per)
    assert_queries_do_not_grow(
        client, reverse("audit_entry_list"), grow=lambda: _reads(personas, 20)
    )


def test_the_search_by_actor_does_not_grow_in_queries(client, personas, small_pages):
    _reads(personas, 5)
    client.force_login(personas.per)
    url = f"{reverse('audit_entry_list')}?actor={personas.alice.public_id}"
    assert_queries_do_not_grow(client, url, grow=lambda: _reads(personas, 20))
