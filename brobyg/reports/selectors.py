"""Reads for the report pages."""

from dataclasses import dataclass
from datetime import date

from django.http import QueryDict

from brobyg.orgs.models import Programme
from brobyg.reports.models import ReportRun
from brobyg.reports.report import FOLLOW_UP_LABELS


@dataclass(frozen=True)
class RunScope:
    start: date
    end: date
    programme_names: list[str]
    follow_up_label: str
    query: str  # the report page's query string for the same choices


def run_scope(run: ReportRun) -> RunScope:
    """What a report file covers, and the way back to the report with the same choices."""
    parameters = run.parameters
    programmes = parameters.get("programmes", [])
    names = list(
        Programme.objects.filter(organisation=run.organisation, public_id__in=programmes)
        .order_by("name")
        .values_list("name", flat=True)
    )
    query = QueryDict(mutable=True)
    query.setlist("programmes", programmes)
    query.update(
        {key: parameters[key] for key in ("start", "end", "follow_up") if key in parameters}
    )
    return RunScope(
        start=date.fromisoformat(parameters["start"]),
        end=date.fromisoformat(parameters["end"]),
        programme_names=names,
        follow_up_label=str(FOLLOW_UP_LABELS.get(parameters.get("follow_up"), "")),
        query=query.urlencode(),
    )
