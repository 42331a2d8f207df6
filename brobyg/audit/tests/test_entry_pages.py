"""The audit log pages by (time, id) without counting its rows, keeps its filters from page to
page, and costs the same queries however long the log."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.audit.selectors import entries_for_organisation
from brobyg.audit.services import log_action
from brobyg.orgs.models import Membership
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


def _members(personas, count, start=0):
    from brobyg.orgs.choices import Role
    from brobyg.test import make_member, make_user

    for number in range(start, start + count):
        user = make_user(f"member{number}@example.org", f"Medlem Nummer {number}")
        make_member(personas.org_a, user, [Role.PEER])


@pytest.mark.parametrize("query", ["", "?action=read&who=alice", "?action=read&actor={alice}"])
def test_the_page_does_not_grow_with_the_members(client, personas, small_pages, query):
    """No list of every member: the page costs the same queries and bytes with 5 or 45."""
    _reads(personas, 5)
    _members(personas, 5)
    client.force_login(personas.per)
    url = reverse("audit_entry_list") + query.format(alice=personas.alice.public_id)
    if not query:
        url += "?action=read"  # the page's own searches are logged: keep them off the page
    before = client.get(url)
    after = assert_queries_do_not_grow(client, url, grow=lambda: _members(personas, 40, 5))
    assert len(after.content) == len(before.content)
    assert "Medlem Nummer" not in after.content.decode()


def test_it_finds_an_actor_by_what_is_typed(client, personas):
    _reads(personas, 2)
    log_action(action="read", actor=personas.maja, organisation=personas.org_a)
    client.force_login(personas.per)
    for typed in ("alice", "ALICE@", "Alice"):
        response = client.get(reverse("audit_entry_list"), {"who": typed, "action": "read"})
        actors = {entry.actor_id for entry in response.context["page"].object_list}
        assert actors == {personas.alice.pk}, typed
    assert 'value="Alice"' in response.content.decode()  # the search stays in the field
    search = LogEntry.objects.filter(action="search", actor=personas.per).latest("pk")
    assert search.details["criteria"]["who"] == "Alice"


def test_it_finds_what_the_log_holds_about_a_member_by_what_is_typed(client, personas):
    _reads(personas, 2)
    log_action(
        action="read", actor=personas.alice, organisation=personas.org_a, subject=personas.maja
    )
    client.force_login(personas.per)
    response = client.get(reverse("audit_entry_list"), {"about": "bob", "action": "read"})
    entries = response.context["page"].object_list
    assert len(entries) == 2
    assert {entry.subject_id for entry in entries} == {str(personas.bob.public_id)}
    search = LogEntry.objects.filter(action="search", actor=personas.per).latest("pk")
    assert search.details["criteria"]["about"] == [str(personas.bob.public_id)]


def test_a_link_to_an_actor_shows_their_name_and_keeps_them_in_the_filter(client, personas):
    _reads(personas, 2)
    log_action(action="read", actor=personas.maja, organisation=personas.org_a)
    client.force_login(personas.per)
    response = client.get(
        reverse("audit_entry_list"), {"actor": str(personas.alice.public_id), "action": "read"}
    )
    html = response.content.decode()
    assert {entry.actor_id for entry in response.context["page"].object_list} == {personas.alice.pk}
    assert "Alice" in html.split("<table")[0]  # named above the form's fields
    assert f'name="actor" value="{personas.alice.public_id}"' in html
    # Each row's name links to that person's entries; removing the person keeps the rest.
    assert f"?actor={personas.alice.public_id}" in html
    assert f'href="{reverse("audit_entry_list")}?action=read"' in html


@pytest.mark.parametrize("actor", ["not-an-id", "carl"])
def test_a_link_to_someone_outside_the_organisation_is_explained(client, personas, actor):
    client.force_login(personas.per)
    actor = str(personas.carl.public_id) if actor == "carl" else actor
    response = client.get(reverse("audit_entry_list"), {"actor": actor, "date_from": "2026-05-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["actor"]
    assert not response.context["page"].object_list
    assert 'value="2026-05-01"' in response.content.decode()


def _walk(client, url, query) -> tuple[list[list[int]], object]:
    response = client.get(url, query)
    pages = [[entry.pk for entry in response.context["page"]]]
    while response.context["page"].has_next:
        response = client.get(url, {**query, "older": _older_link(response)})
        pages.append([entry.pk for entry in response.context["page"]])
    return pages, response


def test_it_pages_the_organisations_entries_and_its_members_log_ins_as_one_list(
    client, personas, small_pages
):
    """The page reads the entries filed under the organisation and its members' log-ins as two
    lists (each through its own index) and shows them as one, newest first."""
    moment = timezone.now() - timedelta(hours=2)
    with scopes_disabled():
        Membership.objects.filter(pk=personas.alice_membership.pk).update(
            created_at=moment - timedelta(days=1)
        )
    for step in range(7):
        at = moment + timedelta(minutes=step // 2)  # pairs of entries share a moment
        LogEntry.objects.create(action="read", organisation=personas.org_a, created_at=at)
        LogEntry.objects.create(action="login", actor=personas.alice, created_at=at)
    LogEntry.objects.create(action="login", actor=personas.carl, created_at=moment)
    client.force_login(personas.per)  # itself a log-in entry
    expected = list(
        entries_for_organisation(personas.org_a)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    log_ins = set(
        LogEntry.objects.filter(action="login", actor=personas.alice).values_list("pk", flat=True)
    )
    assert len(log_ins & set(expected)) == 7 and len(expected) >= 14
    url = reverse("audit_entry_list")
    pages, last = _walk(client, url, {})
    assert [pk for page in pages for pk in page] == expected
    back = client.get(url, {"newer": last.context["page"].newer})
    assert [entry.pk for entry in back.context["page"]] == pages[-2]


def test_each_row_names_the_action_the_record_and_the_actor_in_danish(client, personas):
    """The labels are translated once per page and put on the rows (not a lazy label per row):
    each row still shows its own action, the kind of record and a link to the actor's entries."""
    moment = datetime(2026, 3, 9, 8, 5, 7, tzinfo=ZoneInfo("Europe/Copenhagen"))
    with time_machine.travel(moment, tick=False):
        _reads(personas, 1)
        log_action(
            action="export", actor=personas.maja, organisation=personas.org_a, reason="member list"
        )
        log_action(
            action="login_failed", organisation=personas.org_a, details={"email": "x@example.org"}
        )
        log_action(action="login_failed", organisation=personas.org_a)
    client.force_login(personas.per)
    rows = client.get(reverse("audit_entry_list")).content.decode().split("<tbody>")[1]
    rows = rows.split("</tbody>")[0].split("<tr>")[1:]
    export_row = next(row for row in rows if str(personas.maja.public_id) in row)
    read_row = next(row for row in rows if str(personas.alice.public_id) in row)
    failed_rows = [row for row in rows if "Mislykket" in row]
    assert "<td>Eksport</td>" in export_row
    assert "<td>medlemsliste</td>" in export_row  # the reason, translated
    assert "<td>Læsning</td>" in read_row
    assert "medlemskab" in read_row.lower()
    assert f'href="{reverse("audit_entry_list")}?actor={personas.alice.public_id}"' in read_row
    assert f">{personas.alice.full_name}</a>" in read_row
    assert "<td>9. mar. 2026 08:05:07</td>" in read_row  # local time
    assert f"<td>{personas.bob.full_name}</td>" in read_row  # whom the entry is about
    assert sorted('<span class="muted">' in row for row in failed_rows) == [True, True]
    assert any("x@example.org" in row for row in failed_rows)
    assert any("ukendt" in row for row in failed_rows)
