"""The evaluation report's figures as JSON, built by the report itself (``reports.report``) with
the page's suppression (``reports.selectors.report_suppressed``): an evaluator client gets
exactly the cells the evaluator's page shows, small cells as "< 5" or hidden."""

from datetime import date
from uuid import UUID

from django.utils.translation import gettext_noop
from ninja import Query, Router

from brobyg.api.auth import client_operation
from brobyg.api.problems import Problem, form_errors
from brobyg.api.schemas import PROBLEMS, ReportOut
from brobyg.audit.models import Action
from brobyg.audit.services import log_request
from brobyg.reports.forms import ScopeForm
from brobyg.reports.report import report_for_request

router = Router(tags=["reports"])


def _value(cell):
    """A shown cell's raw value (an interval as [low, high]); None where suppressed, so nothing
    suppressed on the page is in the JSON."""
    if cell.suppressed:
        return None
    value = cell.value
    return list(value) if isinstance(value, tuple) else value


def _cell(cell) -> dict:
    return {
        "value": _value(cell),
        "text": cell.display,
        "suppressed": cell.suppressed,
        "interval": list(cell.interval) if cell.interval and not cell.suppressed else None,
    }


def _table(table) -> dict:
    return {
        "key": table.key,
        "title": str(table.title),
        "caption": str(table.caption),
        "columns": [{"key": key, "label": str(label)} for key, label in table.columns],
        "rows": [
            {
                "label": str(row["label"].text),
                "cells": {key: _cell(cell) for key, cell in row.items() if key != "label"},
            }
            for row in table.rows
        ],
    }


@client_operation(
    router.get,
    "/report",
    "view_reports",
    response={200: ReportOut, **PROBLEMS},
    url_name="api_v1_report",
)
def report(
    request,
    start: date | None = None,
    end: date | None = None,
    follow_up: str | None = None,
    programme: list[UUID] = Query(  # noqa: B008 (django-ninja's way to declare a query list)
        [], description="Programme ids; none: the whole organisation."
    ),
):
    """The evaluation report's figures for a period (default: the last year), as the report page
    shows them to a member with the client's roles: for an evaluator, counts of 1 to 4 as "< 5",
    other counts rounded to 5, small figures hidden (``value`` null, ``suppressed`` true)."""
    defaults = ScopeForm.initial_values()
    form = ScopeForm(
        {
            "start": (start or defaults["start"]).isoformat(),
            "end": (end or defaults["end"]).isoformat(),
            "follow_up": follow_up or defaults["follow_up"],
            "programmes": [str(item) for item in programme],
        },
        organisation=request.org,
    )
    if not form.is_valid():
        raise Problem("invalid-input", errors=form_errors(form))
    data = form.cleaned_data
    # The citizens' own words are free text: never through the API.
    built = report_for_request(request, data, quotes=False)
    log_request(
        request,
        action=Action.READ,
        object_type="reports.report",
        reason=gettext_noop("API: evaluation report"),
        details=form.parameters(),
    )
    return {
        "start": built.start,
        "end": built.end,
        "follow_up": built.follow_up,
        "programmes": [str(item) for item in programme],
        "suppressed": built.suppressed,
        "suppression_text": built.suppression_text if built.suppressed else "",
        "caveat": built.caveat,
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "tables": [_table(table) for table in section.tables],
            }
            for section in built.sections
        ],
    }
