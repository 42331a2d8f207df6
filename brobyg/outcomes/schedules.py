"""When people are asked to answer: schedules count from anchors.

An anchor is what a schedule's timing counts from and who answers: a citizen's match with a peer
(at its start, after some months, at its end), a programme's peers (every two weeks), the
organisation's staff (every six months). Other apps add theirs, such as support courses or group
courses (first and last session), with ``outcomes.extensions.register_schedule_anchor(kind,
provider)`` from their ``AppConfig.ready()``: imports point towards outcomes, never from it.

A provider's ``occasions(schedule, now)`` yields every occasion that is due by ``now``; the
periodic job (``services.invitations_create_due``) creates an invitation for each one that has
none yet, so a provider may yield the same occasion on every run. Citizens are only invited
while their consent to questionnaires is given; the job checks that, not the provider.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from brobyg.lib.days import start_of_day
from brobyg.orgs.choices import Role
from brobyg.outcomes.extensions import AnchorProvider, Occasion, anchor, register_schedule_anchor

# An occasion missed by more than this (the schedule was added later, the job did not run) is
# not asked for any more: a "baseline" two months into a course would not be one.
CATCH_UP = timedelta(days=14)
# Repeating check-ins count their periods from this Monday.
PERIOD_EPOCH = date(2024, 1, 1)
# The staff who answer the staff pulse: those who work with peers and citizens. Peers answer their
# own check-in; administrators, evaluators and privacy officers do not work with citizens.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.MANAGER, Role.SUPERVISOR, Role.REFERRER})


# Timing


def _whole(value, low, high) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


TIMING_RULES = {
    "baseline": lambda value: isinstance(value, bool),
    "end": lambda value: isinstance(value, bool),
    "first_session": lambda value: isinstance(value, bool),
    "last_session": lambda value: isinstance(value, bool),
    "followup_months": lambda value: (
        isinstance(value, list)
        and len(value) <= 6
        and all(_whole(month, 1, 60) for month in value)
        and len(set(value)) == len(value)
    ),
    "every_days": lambda value: _whole(value, 7, 366),
    "every_months": lambda value: _whole(value, 1, 24),
}


def clean_timing(kind: str, timing: dict) -> dict:
    provider = anchor(kind)
    if provider is None:
        raise ValidationError({"anchor_kind": _("Choose who answers and when from the list.")})
    if not isinstance(timing, dict) or set(timing) - provider.timing_keys:
        raise ValidationError({"timing": _("These timing settings do not fit this schedule.")})
    for key, value in timing.items():
        if not TIMING_RULES[key](value):
            raise ValidationError({"timing": _("A timing setting is out of range.")})
    timing = {**timing}
    if "followup_months" in timing:
        timing["followup_months"] = sorted(timing["followup_months"])
    if not any(timing.values()):
        raise ValidationError({"timing": _("Choose at least one time to ask.")})
    return timing


def describe_timing(timing: dict) -> list[str]:
    """The timing in words, e.g. ["At the start", "After 3 and 6 months", "At the end"]."""
    words = []
    if timing.get("baseline"):
        words.append(str(_("At the start")))
    if timing.get("first_session"):
        words.append(str(_("At the first session")))
    months = timing.get("followup_months") or []
    if months:
        listed = ", ".join(str(month) for month in months)
        words.append(
            ngettext("After %(months)s month", "After %(months)s months", months[-1])
            % {"months": listed}
        )
    if timing.get("end"):
        words.append(str(_("At the end")))
    if timing.get("last_session"):
        words.append(str(_("At the last session")))
    if timing.get("every_days"):
        days = timing["every_days"]
        words.append(ngettext("Every day", "Every %(days)s days", days) % {"days": days})
    if timing.get("every_months"):
        months = timing["every_months"]
        words.append(
            ngettext("Every month", "Every %(months)s months", months) % {"months": months}
        )
    return words


def followup_timepoint(months: int) -> str:
    return f"followup_{months}m"


FIXED_TIMEPOINTS = {
    "baseline": _("At the start"),
    "end": _("At the end"),
    "first_session": _("At the first session"),
    "last_session": _("At the last session"),
}


def timepoint_label(timepoint: str) -> str:
    """A timepoint in words: "At the start", "After 3 months", or the period's date."""
    if timepoint in FIXED_TIMEPOINTS:
        return str(FIXED_TIMEPOINTS[timepoint])
    if timepoint.startswith("followup_") and timepoint.endswith("m"):
        months = timepoint[len("followup_") : -1]
        if months.isdigit():
            return ngettext("After %(months)s month", "After %(months)s months", int(months)) % {
                "months": months
            }
    if timepoint.startswith("manual_"):
        return str(_("Asked in person"))
    return timepoint


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later; the month's last day if it is shorter."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def _due(due_at, now) -> bool:
    return due_at is not None and due_at <= now and now - due_at <= CATCH_UP


# Providers


def match_occasions(schedule, now) -> Iterable[Occasion]:
    """A citizen matched with a peer in the programme: at the start of the match (baseline),
    the follow-ups after so many months while it runs, and when it ends."""
    try:
        match_model = apps.get_model("matching", "Match")
    except LookupError:  # the matching app is not installed
        return
    timing = schedule.timing
    matches = match_model.objects.filter(
        Q(status="active") | Q(status="ended", ended_at__gte=now - CATCH_UP),
        organisation=schedule.organisation_id,
        programme=schedule.programme_id,
        activated_at__isnull=False,
    ).select_related("citizen", "peer")
    for match in matches:
        moments = []
        if timing.get("baseline"):
            moments.append(("baseline", match.activated_at))
        for months in timing.get("followup_months") or []:
            due_at = add_months(match.activated_at, months)
            if match.ended_at is None or due_at <= match.ended_at:
                moments.append((followup_timepoint(months), due_at))
        if timing.get("end") and match.status == "ended":
            moments.append(("end", match.ended_at))
        for timepoint, due_at in moments:
            if _due(due_at, now):
                yield Occasion(
                    anchor_id=str(match.public_id),
                    timepoint=timepoint,
                    due_at=due_at,
                    citizen=match.citizen,
                    peer=match.peer,
                )


def period_start(now: datetime, *, every_days: int) -> date:
    today = timezone.localdate(now)
    index = (today - PERIOD_EPOCH).days // every_days
    return PERIOD_EPOCH + timedelta(days=index * every_days)


def peer_occasions(schedule, now) -> Iterable[Occasion]:
    """Each active peer of the programme, once in every period of ``every_days``; the link
    lasts until the next period starts."""
    every_days = schedule.timing["every_days"]
    start = period_start(now, every_days=every_days)
    starts_at = start_of_day(start)
    peer_model = apps.get_model("people", "Peer")
    peers = peer_model.objects.filter(
        organisation=schedule.organisation_id,
        status="active",
        programmes=schedule.programme_id,
        user__is_active=True,
    ).select_related("user")
    for peer in peers:
        due_at = max(starts_at, peer.status_changed_at, schedule.created_at)
        if due_at <= now:
            yield Occasion(
                anchor_id=str(peer.public_id),
                timepoint=start.isoformat(),
                due_at=due_at,
                user=peer.user,
                peer=peer,
                expires_at=starts_at + timedelta(days=every_days),
            )


def staff_occasions(schedule, now) -> Iterable[Occasion]:
    """The organisation's staff who work with peers and citizens, once every ``every_months``
    (calendar periods, so that everyone answers the same pulse: January and July for 6)."""
    every = schedule.timing["every_months"]
    local = timezone.localtime(now)
    first_month = (local.year * 12 + local.month - 1) // every * every
    start = date(first_month // 12, first_month % 12 + 1, 1)
    starts_at = start_of_day(start)
    membership_model = apps.get_model("orgs", "Membership")
    members = membership_model.objects.filter(
        organisation=schedule.organisation_id, is_active=True, user__is_active=True
    ).select_related("user")
    for membership in members:
        if not STAFF_ROLES & set(membership.roles):
            continue
        due_at = max(starts_at, membership.created_at, schedule.created_at)
        if due_at <= now:
            yield Occasion(
                anchor_id=str(membership.public_id),
                timepoint=start.strftime("%Y-%m"),
                due_at=due_at,
                user=membership.user,
            )


def register_default_anchors() -> None:
    register_schedule_anchor(
        "match",
        AnchorProvider(
            label=_("Citizens matched with a peer: at the start, after some months, at the end"),
            respondent="citizen",
            default_timing={"baseline": True, "followup_months": [3, 6], "end": True},
            occasions=match_occasions,
            timing_keys=frozenset({"baseline", "followup_months", "end"}),
        ),
    )
    register_schedule_anchor(
        "peer",
        AnchorProvider(
            label=_("The programme's peers: a check-in at regular intervals"),
            respondent="peer",
            default_timing={"every_days": 14},
            occasions=peer_occasions,
            timing_keys=frozenset({"every_days"}),
        ),
    )
    register_schedule_anchor(
        "staff",
        AnchorProvider(
            label=_("The organisation's staff: a pulse at regular intervals"),
            respondent="staff",
            default_timing={"every_months": 6},
            occasions=staff_occasions,
            timing_keys=frozenset({"every_months"}),
        ),
    )
