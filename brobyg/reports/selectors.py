"""Reads for the report pages."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.http import QueryDict

from brobyg.orgs.models import Programme
from brobyg.orgs.permissions import has_org_permission
from brobyg.outcomes.models import RespondentKind, Response
from brobyg.reports.change import Filter
from brobyg.reports.models import ReportRun, ReportSnapshot
from brobyg.reports.texts import CITIZEN_ORDER, FOLLOW_UP_LABELS


def report_suppressed(request) -> bool:
    """Small cells are shown only to members who may see the citizens themselves (the page and
    the API's report for clients alike)."""
    return not has_org_permission(request, "view_citizen")


def snapshots_for(request):
    """The stored report figures a member may be shown: their organisation's, with the
    suppression their own permissions call for (an evaluator never gets a manager's)."""
    return ReportSnapshot.objects.filter(
        organisation=request.org, suppressed=report_suppressed(request)
    ).select_related("organisation")


def scope_query(parameters: dict) -> str:
    """The report page's query string for a report's choices."""
    query = QueryDict(mutable=True)
    query.setlist("programmes", parameters.get("programmes", []))
    query.update(
        {key: parameters[key] for key in ("start", "end", "follow_up") if key in parameters}
    )
    return query.urlencode()


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
    return RunScope(
        start=date.fromisoformat(parameters["start"]),
        end=date.fromisoformat(parameters["end"]),
        programme_names=names,
        follow_up_label=str(FOLLOW_UP_LABELS.get(parameters.get("follow_up"), "")),
        query=scope_query(parameters),
    )


def citizen_instrument_codes(flt: Filter) -> list[str]:
    """The questionnaires citizens answered within the filter's period, in the report's order."""
    responses = Response.objects.filter(
        organisation__in=flt.organisation_ids,
        respondent_kind=RespondentKind.CITIZEN,
        completed_at__isnull=False,
        answered_on__range=(flt.start, flt.end),
    )
    if flt.programme_ids:
        responses = responses.filter(
            Q(programme__in=flt.programme_ids)
            | Q(
                programme__isnull=True,
                citizen__support_requests__programme__in=flt.programme_ids,
            )
        )
    codes = set(responses.values_list("instrument__code", flat=True).distinct())
    order = {code: position for position, code in enumerate(CITIZEN_ORDER)}
    return sorted(codes, key=lambda code: (order.get(code, len(order)), code))
