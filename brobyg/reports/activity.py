"""Activity figures of a report: one function per block, each taking the report's ``Filter``
(organisations, programmes, period) and returning rows of (key, value, n).

Blocks whose data live in apps not built into this installation yet (support courses and
sessions, hand-overs, communities, group attendance, supervision) are added here as functions of
the same shape when those apps exist; ``report.py`` lists the blocks it shows.

Definitions:

- **Requests**: support requests created within the period.
- **Days waiting**: for each request created within the period that has been reached, the days
  from its creation to the earlier of the first contact recorded on it and the proposal of its
  first match. Requests not reached yet are counted apart ("still waiting"), so the median and
  the 90th percentile describe the reached requests only.
- **Matches**: matches proposed within the period; started = made active within the period; by
  the kind of the peer (paid or volunteer).
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, Min, Q
from django.utils import timezone

from brobyg.intake.models import OPEN_STATUSES, SupportRequest
from brobyg.matching.models import Match
from brobyg.reports.change import Filter
from brobyg.reports.statistics import quantile_days


@dataclass(frozen=True)
class Row:
    key: str
    value: float | None
    n: int


def _moment(day, *, end=False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def _requests(flt: Filter):
    requests = SupportRequest.objects.filter(
        organisation__in=flt.organisation_ids,
        created_at__gte=_moment(flt.start),
        created_at__lte=_moment(flt.end, end=True),
    )
    if flt.programme_ids:
        requests = requests.filter(programme__in=flt.programme_ids)
    return requests


def intake_rows(flt: Filter) -> list[Row]:
    rows = list(
        _requests(flt)
        .annotate(first_match=Min("matches__proposed_at"))
        .values_list("created_at", "first_contact_at", "first_match", "status")
    )
    days, still_waiting = [], 0
    for created_at, first_contact, first_match, status in rows:
        reached = [timezone.localdate(first_match)] if first_match else []
        if first_contact:
            reached.append(first_contact)
        if reached:
            days.append(max(0, (min(reached) - timezone.localdate(created_at)).days))
        elif status in OPEN_STATUSES:
            still_waiting += 1
    return [
        Row("requests", len(rows), len(rows)),
        Row("reached", len(days), len(rows)),
        Row("still_waiting", still_waiting, len(rows)),
        Row("median_days", quantile_days(days, 0.5), len(days)),
        Row("p90_days", quantile_days(days, 0.9), len(days)),
    ]


def matching_rows(flt: Filter) -> list[Row]:
    matches = Match.objects.filter(organisation__in=flt.organisation_ids)
    if flt.programme_ids:
        matches = matches.filter(programme__in=flt.programme_ids)
    period = (_moment(flt.start), _moment(flt.end, end=True))
    figures = matches.aggregate(
        proposed=Count("pk", filter=Q(proposed_at__range=period)),
        started=Count("pk", filter=Q(activated_at__range=period)),
        started_paid=Count("pk", filter=Q(activated_at__range=period, peer__kind="paid")),
        started_volunteer=Count("pk", filter=Q(activated_at__range=period, peer__kind="volunteer")),
        ended=Count("pk", filter=Q(ended_at__range=period)),
    )
    return [Row(key, value, value) for key, value in figures.items()]
