"""The report's figures as JSON for clients: the report page's own cells, with the evaluator's
suppression for an evaluator client (a cell suppressed on the page is suppressed in the JSON)."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.api.tests.helpers import bearer, make_api_client
from brobyg.audit.models import LogEntry
from brobyg.outcomes.tests.helpers import load_instruments
from brobyg.reports.tests.test_report_pages import PERIOD, import_chime

pytestmark = pytest.mark.django_db


def client_report(client, personas, roles):
    _api_client, client_id, secret = make_api_client(personas.org_a, roles, actor=personas.ada)
    return client.get(
        reverse("api_v1_report"),
        PERIOD,
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(client, client_id, secret),
    )


def cells(sections):
    """(table, row, column) -> cell, for the JSON's sections."""
    return {
        (table["key"], row["label"], key): cell
        for section in sections
        for table in section["tables"]
        for row in table["rows"]
        for key, cell in row["cells"].items()
    }


def page_suppressed(report):
    return {
        (table.key, row["label"].text, key)
        for _section, table in report.tables()
        for row in table.rows
        for key, cell in row.items()
        if key != "label" and cell.suppressed
    }


def test_an_evaluator_client_gets_the_evaluators_page_suppression(client, personas, settings):
    load_instruments()
    import_chime(personas.org_a, 3)
    client.force_login(personas.eva)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("reports_report"), PERIOD)
    page_report = page.context["report"]
    client.logout()

    response = client_report(client, personas, ["evaluator"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["suppressed"] and body["suppression_text"]
    figures = cells(body["sections"])
    suppressed = {key for key, cell in figures.items() if cell["suppressed"]}
    assert suppressed and suppressed == page_suppressed(page_report)
    for key, cell in figures.items():
        if cell["suppressed"]:
            assert cell["value"] is None and cell["text"] in ("<\u202f5", "hidden"), key
            assert cell["interval"] is None
        elif isinstance(cell["value"], int) and not isinstance(cell["value"], bool):
            assert not 0 < cell["value"] < 5, key
    chime_n = figures[("change-brobyg-chime", page_report_first_label(page_report), "n")]
    assert chime_n == {"value": None, "text": "<\u202f5", "suppressed": True, "interval": None}
    with scopes_disabled():
        assert LogEntry.objects.filter(
            object_type="reports.report", api_client__isnull=False
        ).exists()


def page_report_first_label(report):
    table = next(t for _s, t in report.tables() if t.key == "change-brobyg-chime")
    return table.rows[0]["label"].text


def test_a_coordinator_client_gets_the_small_cells_as_the_coordinators_page_does(client, personas):
    load_instruments()
    import_chime(personas.org_a, 3)
    body = client_report(client, personas, ["coordinator"]).json()
    assert not body["suppressed"]
    chime = next(
        table
        for section in body["sections"]
        for table in section["tables"]
        if table["key"] == "change-brobyg-chime"
    )
    assert chime["rows"][0]["cells"]["n"]["value"] == 3


def test_a_bad_period_is_a_problem(client, personas):
    _api_client, client_id, secret = make_api_client(
        personas.org_a, ["evaluator"], actor=personas.ada
    )
    response = client.get(
        reverse("api_v1_report"),
        {"start": "2025-12-31", "end": "2025-01-01"},
        **bearer(client, client_id, secret),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end"
