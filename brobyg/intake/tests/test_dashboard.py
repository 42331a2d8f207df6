"""The start page of coordinators and managers: urgent requests first, then the waiting lists."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.audit.models import LogEntry
from brobyg.browser import log_in, switch_language
from brobyg.intake.models import SupportRequest
from brobyg.orgs.choices import Role
from brobyg.test import in_org, make_member, make_programme, make_request, make_user

START = reverse("start")


def _request(programme, name, phone, *, days_ago=0, **fields):
    support_request, _token = make_request(programme, name=name, phone=phone, **fields)
    with scopes_disabled():
        SupportRequest.objects.filter(pk=support_request.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago, hours=1)
        )
    return support_request


def _panels(response):
    sections = response.context["sections"]
    return {panel["name"]: panel for section in sections for panel in section["panels"]}


def test_it_shows_urgent_requests_first_with_a_link_to_each(client, english, personas):
    urgent = _request(personas.programme_a, "Kirsten Krise", "11111111", in_crisis=True)
    _request(personas.programme_a, "Anna Andersen", "22222222", days_ago=3)
    client.force_login(personas.alice)
    page = client.get(START).content.decode()
    link = reverse("intake_request_detail", args=[urgent.public_id])
    assert link in page and "Kirsten Krise" in page
    assert "Anna Andersen" not in page
    assert page.index("Urgent: citizens in crisis") < page.index("Waiting lists")
    assert page.index(link) < page.index("Waiting lists")


def test_it_shows_the_waiting_list_length_and_median_days_per_programme(client, personas):
    other = make_programme(personas.org_a, "Recovery-mentorer")
    for days, phone in [(2, "1"), (4, "2"), (9, "3")]:
        _request(personas.programme_a, "Borger", phone * 8, days_ago=days)
    _request(other, "Borger", "44444444", days_ago=1)
    _request(other, "Borger", "55555555", days_ago=6, in_crisis=True)
    client.force_login(personas.alice)
    response = client.get(START)
    figures = {
        figure["programme"].name: (figure["count"], figure["urgent"], figure["median_days"])
        for figure in _panels(response)["intake_queues"]["figures"]
    }
    assert figures == {personas.programme_a.name: (3, 0, 4), "Recovery-mentorer": (2, 1, 3.5)}
    page = response.content.decode()
    assert f"{reverse('intake_waiting_list')}?programme={other.public_id}" in page
    assert "3,5" in page  # Danish decimal comma


def test_it_shows_the_panels_to_managers_but_not_to_peers(client, personas):
    _request(personas.programme_a, "Kirsten Krise", "11111111", in_crisis=True)
    client.force_login(personas.maja)
    assert {"intake_urgent", "intake_queues"} <= set(_panels(client.get(START)))
    client.force_login(personas.bob)
    response = client.get(START)
    assert not {name for name in _panels(response) if name.startswith("intake_")}
    assert "Kirsten Krise" not in response.content.decode()


def test_it_shows_the_panels_once_to_a_coordinator_who_is_also_a_manager(client, personas):
    both = make_user("both@example.org", "Koordinator og leder")
    make_member(personas.org_a, both, [Role.COORDINATOR, Role.MANAGER])
    client.force_login(both)
    sections = client.get(START).context["sections"]
    intake_panels = [
        [panel["name"] for panel in section["panels"] if panel["name"].startswith("intake_")]
        for section in sections
    ]
    assert [len(names) for names in intake_panels] == [2, 0]


def test_it_logs_reading_the_urgent_requests_and_nothing_when_none_are_shown(client, personas):
    client.force_login(personas.alice)
    client.get(START)
    assert not LogEntry.objects.filter(action="read").exists()
    _request(personas.programme_a, "Kirsten Krise", "11111111", in_crisis=True)
    client.get(START)
    entry = LogEntry.objects.get(action="read", actor=personas.alice)
    assert entry.object_type == "intake.supportrequest"
    assert entry.details == {"results": 1}


def test_it_keeps_the_start_page_and_people_free_of_imports_of_intake():
    """orgs ← people ← intake: intake registers its panel and merge step from its AppConfig."""
    for path in ["orgs/start.py", "people/services.py", "people/selectors.py"]:
        tree = ast.parse((Path(settings.BASE_DIR) / "brobyg" / path).read_text())
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not [name for name in imported if name and "intake" in name], path


@pytest.mark.browser
def test_a_coordinator_follows_an_urgent_request_from_the_start_page(page, live_site):
    """Start page, request page (an action refused, then one done), citizen page, merging and
    the waiting list: every page is also checked with axe."""
    people = live_site.personas
    _request(people.programme_a, "Kirsten Krise", "11111111", in_crisis=True)
    _request(people.programme_a, "K. Krise", "11111111", days_ago=5)
    young = timezone.localdate().year - 15
    _request(people.programme_a, "Unge Ulla", "22222222", days_ago=2, birth_year=young)
    log_in(page, people.alice)
    switch_language(page, "en")
    urgent = page.locator(".start-panel--urgent")
    expect(urgent).to_contain_text("Urgent: citizens in crisis")
    urgent.get_by_role("link", name="Kirsten Krise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request from Kirsten Krise")

    status = page.locator("form[action$='/status/']")
    status.get_by_label("Declined").check()
    status.get_by_role("button").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was changed")
    expect(status.get_by_label("Declined")).to_be_checked()
    expect(status.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")

    contact = page.locator("form[action$='/first-contact/']")
    contact.get_by_label("By phone").check()
    contact.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("The first contact was recorded.")

    page.get_by_role("link", name="The citizen's page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirsten Krise")
    page.get_by_role("button", name="Compare and merge with K. Krise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merge two records of the same person"
    )
    expect(page.get_by_label("Keep Kirsten Krise")).to_be_checked()
    page.get_by_role("button", name="Merge the records").click()
    expect(page.locator(".messages")).to_contain_text("The records were merged.")
    expect(page.locator("section[aria-labelledby=requests] tbody tr")).to_have_count(2)

    page.locator("nav.site-nav").get_by_role("link", name="Waiting list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting list")
    rows = page.locator("table.waiting-list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Kirsten Krise")
    expect(page.locator("table.waiting-list")).to_contain_text("Under minimum age")
    page.get_by_label("Urgent only").check()
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)


def test_it_counts_a_request_below_the_minimum_age_only_once_the_limit_is_set_aside(
    client, personas
):
    from brobyg.intake import selectors, services

    _request(personas.programme_a, "Voksen", "11111111", days_ago=2)
    young = _request(
        personas.programme_a,
        "Ung",
        "22222222",
        days_ago=9,
        birth_year=timezone.localdate().year - 15,
    )
    with in_org(personas.org_a):
        assert [f["count"] for f in selectors.queue_figures(personas.org_a)] == [1]
        services.request_override_minimum_age(
            actor=personas.alice, support_request=young, reason="Aftalt med forældre og skole."
        )
        assert [f["count"] for f in selectors.queue_figures(personas.org_a)] == [2]
