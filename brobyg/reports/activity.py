"""Activity figures of a report: one function per block, each taking the report's ``Filter``
(organisations, programmes, period) and returning rows of (key, value, n).

``section_activity.py`` lists the blocks it shows.

Definitions:

- **Requests**: support requests created within the period.
- **Days waiting**: for each request created within the period that has been reached, the days
  from its creation to the earlier of the first contact recorded on it and the proposal of its
  first match. Requests not reached yet are counted apart ("still waiting"), so the median and
  the 90th percentile describe the reached requests only.
- **Matches**: matches proposed within the period; started = made active within the period; by
  the kind of the peer (paid or volunteer).
- **Courses**: started or ended within the period; live at its end; started by the kind of the
  first peer (paid or volunteer).
- **Sessions**: held sessions within the period, by form and by kind, and their hours.
- **Hand-overs**: started = proposed from these organisations within the period; completed = of
  those, accepted by the receiving side.
- **Connected at 3 and 6 months**: the follow-ups recorded for hand-overs and for communities
  joined, whose due date falls within the period: how many started and are still connected.
- **Groups**: group sessions held (not cancelled) within the period; attendance = ticks present
  of the participants listed, head-counts of open groups apart.
- **Drop-in**: the counts recorded for days within the period.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from brobyg.groups.models import Attendance, GroupSession
from brobyg.intake.models import OPEN_STATUSES, SupportRequest
from brobyg.lib.days import end_of_day, start_of_day
from brobyg.matching.models import Match
from brobyg.people.models import Consent, ConsentPurpose
from brobyg.reports.change import Filter
from brobyg.reports.statistics import quantile_days
from brobyg.support.models import (
    LIVE_COURSE_STATUSES,
    CommunityLink,
    Course,
    DropInCount,
    EndReason,
    FollowUp,
    Handover,
    HandoverStatus,
    Session,
    SessionForm,
    SessionKind,
    SessionStatus,
)


@dataclass(frozen=True)
class Row:
    key: str
    value: float | None
    n: int


def _requests(flt: Filter):
    requests = SupportRequest.objects.filter(
        organisation__in=flt.organisation_ids,
        created_at__gte=start_of_day(flt.start),
        created_at__lte=end_of_day(flt.end),
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
    period = (start_of_day(flt.start), end_of_day(flt.end))
    figures = matches.aggregate(
        proposed=Count("pk", filter=Q(proposed_at__range=period)),
        started=Count("pk", filter=Q(activated_at__range=period)),
        started_paid=Count("pk", filter=Q(activated_at__range=period, peer__kind="paid")),
        started_volunteer=Count("pk", filter=Q(activated_at__range=period, peer__kind="volunteer")),
        ended=Count("pk", filter=Q(ended_at__range=period)),
    )
    return [Row(key, value, value) for key, value in figures.items()]


def _scoped(queryset, flt: Filter, programme_field: str = "programme"):
    queryset = queryset.filter(organisation__in=flt.organisation_ids)
    if flt.programme_ids:
        queryset = queryset.filter(**{f"{programme_field}__in": flt.programme_ids})
    return queryset


def _period(flt: Filter) -> tuple[datetime, datetime]:
    return start_of_day(flt.start), end_of_day(flt.end)


def course_rows(flt: Filter) -> list[Row]:
    courses = _scoped(Course.objects.all(), flt)
    started = courses.filter(started_on__range=(flt.start, flt.end))
    kinds = dict(
        started.values_list("peers__kind").annotate(n=Count("pk", distinct=True)).order_by()
    )
    figures = {
        "courses_started": started.count(),
        "courses_started_paid": kinds.get("paid", 0),
        "courses_started_volunteer": kinds.get("volunteer", 0),
        "courses_ended": courses.filter(ended_on__range=(flt.start, flt.end)).count(),
        "courses_live": courses.filter(started_on__lte=flt.end)
        .filter(Q(status__in=LIVE_COURSE_STATUSES) | Q(ended_on__gt=flt.end))
        .count(),
    }
    rows = [Row(key, value, value) for key, value in figures.items()]
    ended = dict(
        courses.filter(ended_on__range=(flt.start, flt.end))
        .values_list("end_reason")
        .annotate(n=Count("pk"))
        .order_by("end_reason")
    )
    rows += [
        Row(f"end:{code}", ended.get(code, 0), ended.get(code, 0)) for code in EndReason.values
    ]
    return rows


def session_rows(flt: Filter) -> list[Row]:
    sessions = _scoped(Session.objects.all(), flt, "course__programme").filter(
        status=SessionStatus.HELD, starts_at__range=_period(flt)
    )
    total = sessions.count()
    rows = [Row("sessions", total, total)]
    minutes = sessions.aggregate(m=Sum("duration_minutes"))["m"] or 0
    rows.append(Row("session_hours", round(minutes / 60, 1), total))
    for field, choices in (("form", SessionForm), ("kind", SessionKind)):
        counts = dict(sessions.values_list(field).annotate(n=Count("pk")).order_by(field))
        for code in choices.values:
            rows.append(Row(f"{field}:{code}", counts.get(code, 0), counts.get(code, 0)))
    return rows


def handover_rows(flt: Filter) -> list[Row]:
    handovers = Handover.objects.filter(
        organisation__in=flt.organisation_ids, proposed_at__range=_period(flt)
    )
    if flt.programme_ids:
        handovers = handovers.filter(from_course__programme__in=flt.programme_ids)
    started = handovers.count()
    completed = handovers.filter(status=HandoverStatus.ACCEPTED).count()
    return [
        Row("handovers_started", started, started),
        Row("handovers_completed", completed, started),
    ]


def connected_rows(flt: Filter) -> list[Row]:
    """Per kind (hand-over, community) and months (3, 6): started and still connected."""
    follow_ups = FollowUp.objects.filter(
        organisation__in=flt.organisation_ids,
        recorded_at__isnull=False,
        due_on__range=(flt.start, flt.end),
    )
    if flt.programme_ids:
        follow_ups = follow_ups.filter(
            Q(community_link__course__programme__in=flt.programme_ids)
            | Q(handover__receiving_programme__in=flt.programme_ids)
        )
    rows = []
    for kind, months, recorded, started, connected in (
        follow_ups.values_list("kind", "months")
        .annotate(
            recorded=Count("pk"),
            started=Count("pk", filter=Q(started=True)),
            connected=Count("pk", filter=Q(still_connected=True)),
        )
        .order_by("kind", "months")
    ):
        rows.append(Row(f"{kind}:{months}:started", started, recorded))
        rows.append(Row(f"{kind}:{months}:connected", connected, recorded))
    return rows


def community_rows(flt: Filter) -> list[Row]:
    joined = _scoped(CommunityLink.objects.all(), flt, "course__programme").filter(
        joined_on__range=(flt.start, flt.end)
    )
    n = joined.count()
    citizens = joined.values("course__citizen").distinct().count()
    return [Row("communities_joined", n, n), Row("community_citizens", citizens, citizens)]


def group_rows(flt: Filter) -> list[Row]:
    sessions = _scoped(GroupSession.objects.all(), flt, "group__programme").filter(
        is_cancelled=False, starts_at__range=_period(flt)
    )
    held = sessions.filter(Q(attendance_recorded_at__isnull=False) | Q(headcount__isnull=False))
    ticks = Attendance.objects.filter(session__in=held).aggregate(
        listed=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    headcount = held.aggregate(n=Sum("headcount"))["n"] or 0
    n_held = held.count()
    return [
        Row("group_sessions", n_held, n_held),
        Row("group_present", ticks["present"], ticks["listed"]),
        Row("group_headcount", headcount, n_held),
    ]


def drop_in_rows(flt: Filter) -> list[Row]:
    counts = _scoped(DropInCount.objects.all(), flt).filter(day__range=(flt.start, flt.end))
    figures = counts.aggregate(days=Count("pk"), contacts=Sum("contacts"), minutes=Sum("minutes"))
    days = figures["days"]
    return [
        Row("drop_in_contacts", figures["contacts"] or 0, days),
        Row("drop_in_hours", round((figures["minutes"] or 0) / 60, 1), days),
    ]


def quotes(flt: Filter) -> list[str]:
    """The citizens' own words about the ending of courses that ended within the period, from
    citizens whose latest consent to being quoted in reports is a yes."""
    latest = Consent.objects.filter(
        citizen=OuterRef("citizen"), purpose=ConsentPurpose.QUOTES
    ).order_by("-recorded_at", "-pk")
    courses = (
        _scoped(Course.objects.all(), flt)
        .filter(ended_on__range=(flt.start, flt.end))
        .exclude(end_words="")
        .annotate(quotes_consent=Subquery(latest.values("given")[:1]))
        .filter(quotes_consent=True)
        .order_by("ended_on", "pk")
    )
    return list(courses.values_list("end_words", flat=True))
