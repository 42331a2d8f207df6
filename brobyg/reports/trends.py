"""Peers' and organisations' figures: check-in and staff pulse trends, peers' retention.

- **Peer check-ins**: the peers' own check-ins (``peer-checkin``) completed within the period,
  by month: the mean total (0-4, higher is better) with the number of check-ins and of peers.
  Only means of a group reach the report, never one peer's answers.
- **Staff pulse**: the staff recovery pulse (``staff-pulse``) by round (its month), mean total
  and per domain with the number of answers.
- **Peers' retention**: peers whose profile was made before the period began and had not ended
  by then, and how many of them had not ended by the period's end. Read from each peer's current
  status and when it last changed.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth

from brobyg.lib.days import end_of_day, start_of_day
from brobyg.outcomes.models import RespondentKind, Response, Score
from brobyg.peercare.models import PathwayEntry, SupervisionSession
from brobyg.people.models import Peer, PeerStatus
from brobyg.reports.change import Filter

PEER_CHECKIN = "peer-checkin"
STAFF_PULSE = "staff-pulse"


@dataclass(frozen=True)
class Point:
    label: str  # "2025-03"
    mean: float | None
    n: int
    people: int = 0
    domains: dict = field(default_factory=dict)  # domain -> (mean, n)


def _peers(flt: Filter):
    peers = Peer.objects.filter(organisation__in=flt.organisation_ids)
    if flt.programme_ids:
        peers = peers.filter(programmes__in=flt.programme_ids).distinct()
    return peers


def checkin_trend(flt: Filter) -> list[Point]:
    responses = Response.objects.filter(
        organisation__in=flt.organisation_ids,
        respondent_kind=RespondentKind.PEER,
        instrument__code=PEER_CHECKIN,
        completed_at__isnull=False,
        answered_on__range=(flt.start, flt.end),
        total__isnull=False,
    )
    if flt.programme_ids:
        responses = responses.filter(user__in=_peers(flt).values("user"))
    rows = (
        responses.annotate(month=TruncMonth("answered_on"))
        .values("month")
        .annotate(mean=Avg("total"), n=Count("pk"), people=Count("user", distinct=True))
        .order_by("month")
    )
    return [
        Point(row["month"].strftime("%Y-%m"), row["mean"], row["n"], row["people"]) for row in rows
    ]


def staff_pulse_trend(flt: Filter) -> tuple[list[Point], list[str]]:
    """Points by round, and the domains in their order."""
    scores = Score.objects.filter(
        organisation__in=flt.organisation_ids,
        response__respondent_kind=RespondentKind.STAFF,
        response__instrument__code=STAFF_PULSE,
        response__completed_at__isnull=False,
        response__answered_on__range=(flt.start, flt.end),
        value__isnull=False,
    )
    rows = (
        scores.values("response__timepoint", "scale")
        .annotate(mean=Avg("value"), n=Count("pk"))
        .order_by("response__timepoint", "scale")
    )
    by_round: dict[str, dict] = defaultdict(dict)
    for row in rows:
        by_round[row["response__timepoint"]][row["scale"]] = (row["mean"], row["n"])
    domains: list[str] = []
    points = []
    for label, scales in sorted(by_round.items()):
        total_mean, total_n = scales.pop("total", (None, 0))
        for domain in scales:
            if domain not in domains:
                domains.append(domain)
        points.append(Point(label, total_mean, total_n, domains=scales))
    return points, domains


def retention(flt: Filter) -> dict:
    start, end = start_of_day(flt.start), end_of_day(flt.end)
    ended = Q(status=PeerStatus.ENDED)
    at_start = (
        _peers(flt).filter(created_at__lt=start).exclude(ended & Q(status_changed_at__lt=start))
    )
    figures = at_start.aggregate(
        at_start=Count("pk", distinct=True),
        still=Count("pk", distinct=True, filter=~(ended & Q(status_changed_at__lte=end))),
    )
    by_kind = {
        row["kind"]: row
        for row in at_start.values("kind").annotate(
            at_start=Count("pk", distinct=True),
            still=Count("pk", distinct=True, filter=~(ended & Q(status_changed_at__lte=end))),
        )
    }
    now = {
        row["status"]: row["n"]
        for row in _peers(flt).values("status").annotate(n=Count("pk", distinct=True))
    }
    return {"all": figures, "by_kind": by_kind, "status_now": now}


def supervision_coverage(flt: Filter) -> dict:
    """Peers active at the period's end (registered before it, not ended or paused), and how
    many of them had at least one supervision session within the period."""
    end = end_of_day(flt.end)
    peers = (
        _peers(flt)
        .filter(created_at__lte=end)
        .exclude(status__in=[PeerStatus.ENDED, PeerStatus.PAUSED])
    )
    sessions = SupervisionSession.objects.filter(
        organisation__in=flt.organisation_ids, held_on__range=(flt.start, flt.end)
    )
    covered = peers.filter(supervision_sessions__in=sessions).distinct().count()
    return {"peers": peers.distinct().count(), "covered": covered, "sessions": sessions.count()}


def pathways(flt: Filter) -> list[tuple[str, int, int]]:
    """(kind, entries, peers) of the steps peers recorded within the period."""
    return list(
        PathwayEntry.objects.filter(peer__in=_peers(flt), happened_on__range=(flt.start, flt.end))
        .values_list("kind")
        .annotate(entries=Count("pk"), peers=Count("peer", distinct=True))
        .order_by("kind")
    )
