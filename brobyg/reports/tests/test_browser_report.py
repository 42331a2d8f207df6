"""In the browser: an evaluator reads the report (charts with their tables, small cells hidden)
and downloads a CSV file made by the task. Every page is checked for accessibility."""

import io

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from brobyg.browser import log_in
from brobyg.outcomes.imports import import_responses
from brobyg.outcomes.tests.helpers import load_instruments

pytestmark = pytest.mark.browser

ITEMS = ["c1", "c2", "c3", "h1", "h2", "i1", "i2", "m1", "m2", "e1", "e2", "e3"]


def _import_answers(personas):
    """Eight citizens' CHIME check-ins at the start and at the end of 2025, imported."""
    load_instruments()
    text = "respondent,instrument,version,timepoint,date,item,value\n"
    for number in range(8):
        for item in ITEMS:
            text += f"R-{number},brobyg-chime,1.0,baseline,2025-02-01,{item},{1 + number % 2}\n"
            text += f"R-{number},brobyg-chime,1.0,end,2025-09-01,{item},{2 + number % 3 // 2}\n"
    with scope(organisation=personas.org_a.pk):
        import_responses(organisation=personas.org_a, stream=io.StringIO(text))


def test_an_evaluator_reads_the_report_and_downloads_it(page, live_site):
    personas = live_site.personas
    _import_answers(personas)

    log_in(page, personas.eva)
    page.goto(reverse("reports_report"))
    page.get_by_label("Fra").fill("2025-01-01")
    page.get_by_label("Til").fill("2025-12-31")
    page.get_by_role("button", name="Vis rapporten").click()
    expect(page.get_by_role("img", name="Ændring på Brobyg CHIME-tjek")).to_be_visible()
    expect(page.get_by_role("region", name="Ændring på Brobyg CHIME-tjek")).to_be_visible()
    page.get_by_label("CSV").check()
    page.get_by_role("button", name="Lav filen").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent").click()
    assert download.value.suggested_filename.endswith(".csv")
    with scopes_disabled():
        from brobyg.audit.models import LogEntry

        assert LogEntry.objects.filter(action="export", actor=personas.eva).exists()


def test_the_figures_appear_by_themselves_when_computed(page, live_site, monkeypatch):
    from brobyg.reports import tasks
    from brobyg.reports.tests.test_snapshots import worker_not_started

    personas = live_site.personas
    _import_answers(personas)
    queue = worker_not_started(monkeypatch)

    log_in(page, personas.maja)
    page.goto(reverse("reports_report") + "?start=2025-01-01&end=2025-12-31&follow_up=last")
    expect(page.get_by_text("Tallene bliver beregnet")).to_be_visible()
    expect(page.get_by_role("button", name="Lav filen")).to_be_visible()
    queue.run_all()
    chart = page.get_by_role("img", name="Ændring på Brobyg CHIME-tjek")
    expect(chart).to_be_visible()
    expect(page.get_by_text("Tallene er beregnet")).to_be_visible()

    page.get_by_role("button", name="Beregn igen").click()
    expect(page.get_by_text("Nye tal bliver beregnet")).to_be_visible()
    expect(chart).to_be_visible()  # the old figures stay meanwhile
    assert len(queue.queued) == 1 and tasks.refresh_report_snapshot is queue
    queue.run_all()
    expect(page.get_by_role("button", name="Beregn igen")).to_be_visible()
    expect(page.get_by_text("Nye tal bliver beregnet")).to_be_hidden()
    expect(chart).to_be_visible()
