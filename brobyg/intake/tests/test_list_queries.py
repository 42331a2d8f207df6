"""The waiting list and the referrer's list page in the database: the same queries however many
requests, a page at a time, filters kept in the page links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.intake import selectors
from brobyg.intake.models import SupportRequest
from brobyg.test import assert_queries_do_not_grow, in_org, make_waiting_request


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("brobyg.lib.pagination.PAGE_SIZE", 3)


def _waiting(personas, count, start, *, referred_by=None):
    for number in range(start, start + count):
        support_request, _token = make_waiting_request(
            personas.programme_a, name=f"Borger {number}", phone=f"4100{number:04d}"
        )
        if referred_by is not None:
            with scopes_disabled():
                SupportRequest.objects.filter(pk=support_request.pk).update(referred_by=referred_by)


def test_the_waiting_list_does_not_grow_in_queries(client, personas):
    _waiting(personas, 2, 0)
    client.force_login(personas.alice)
    assert_queries_do_not_grow(
        client, reverse("intake_waiting_list"), grow=lambda: _waiting(personas, 6, 100)
    )


def test_a_search_of_the_waiting_list_does_not_grow_in_queries(client, personas):
    _waiting(personas, 2, 0)
    client.force_login(personas.alice)
    response = assert_queries_do_not_grow(
        client,
        reverse("intake_waiting_list") + "?q=Borger",
        grow=lambda: _waiting(personas, 6, 100),
    )
    assert response.context["page"].paginator.count == 8


def test_the_referrers_list_does_not_grow_in_queries(client, personas):
    _waiting(personas, 2, 0, referred_by=personas.rita)
    client.force_login(personas.rita)
    assert_queries_do_not_grow(
        client,
        reverse("intake_referral_list"),
        grow=lambda: _waiting(personas, 6, 100, referred_by=personas.rita),
    )


def test_the_referrers_list_shows_a_page_at_a_time(client, personas, small_pages):
    _waiting(personas, 7, 0, referred_by=personas.rita)
    client.force_login(personas.rita)
    first = client.get(reverse("intake_referral_list"))
    assert len(first.context["referrals"]) == 3
    assert first.context["page"].paginator.num_pages == 3
    last = client.get(reverse("intake_referral_list"), {"page": 3})
    assert len(last.context["referrals"]) == 1
    shown = {
        r.pk
        for p in (1, 2, 3)
        for r in client.get(reverse("intake_referral_list"), {"page": p}).context["referrals"]
    }
    assert len(shown) == 7


def test_the_waiting_list_keeps_its_filters_from_page_to_page(client, personas, small_pages):
    _waiting(personas, 7, 0)
    client.force_login(personas.alice)
    response = client.get(reverse("intake_waiting_list"), {"q": "Borger", "urgent": ""})
    html = response.content.decode()
    assert "?q=Borger&amp;urgent=&amp;page=2" in html
    assert 'rel="next"' in html


def test_a_search_reads_its_page_and_its_count_in_one_query(client, personas, small_pages):
    _waiting(personas, 7, 0)
    client.force_login(personas.alice)
    url = reverse("intake_waiting_list")
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url, {"q": "Borger"})
    assert not [q for q in queries.captured_queries if '"__count"' in q["sql"]]
    assert first.context["page"].paginator.count == 7
    assert first.context["page"].paginator.num_pages == 3
    assert first.context["page"].number == 1
    assert len(first.context["rows"]) == 3
    pages = [client.get(url, {"q": "Borger", "page": p}).context["page"] for p in (1, 2, 3)]
    assert [len(page.object_list) for page in pages] == [3, 3, 1]
    searched = [r.pk for page in pages for r in page.object_list]
    with in_org(personas.org_a):
        expected = [r.pk for r in selectors.waiting_list(personas.org_a, query="Borger")]
    assert searched == expected
    assert [page.paginator.count for page in pages] == [7, 7, 7]


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("x", 1), ("0", 1), ("", 1)])
def test_a_search_page_out_of_range_gives_the_nearest_page(
    client, personas, small_pages, asked, shown
):
    _waiting(personas, 7, 0)
    client.force_login(personas.alice)
    page = client.get(reverse("intake_waiting_list"), {"q": "Borger", "page": asked}).context[
        "page"
    ]
    assert page.number == shown
    assert page.paginator.count == 7
    assert len(page.object_list) == (1 if shown == 3 else 3)


def test_a_search_finding_nothing_shows_an_empty_first_page(client, personas):
    _waiting(personas, 2, 0)
    client.force_login(personas.alice)
    page = client.get(reverse("intake_waiting_list"), {"q": "Nobody by that name"}).context["page"]
    assert page.number == 1
    assert page.paginator.count == 0
    assert list(page.object_list) == []
