"""Reads of the volunteer pipeline. Who sees applications is decided only in
``applications_visible_to`` (the permission table's ``view_volunteer_applications``)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.lib.days import month_bounds, start_of_day
from brobyg.lib.links import token_digest
from brobyg.orgs.choices import SupportType
from brobyg.orgs.permissions import visible_by_table
from brobyg.people.models import Peer
from brobyg.volunteers.models import (
    Application,
    ApplicationStatus,
    Claim,
    ClaimStatus,
    ExpenseKind,
    HoursEntry,
    Stage,
)


def applications_visible_to(membership):
    if membership is None:
        return Application.objects.none()
    applications = Application.objects.filter(organisation_id=membership.organisation_id)
    return visible_by_table(applications, membership, "view_volunteer_applications")


def pipeline(applications, stages) -> list[dict]:
    """The open applications grouped by stage, oldest in the stage first (two queries)."""
    by_stage = {stage.pk: {"stage": stage, "applications": []} for stage in stages}
    open_applications = applications.filter(status=ApplicationStatus.OPEN).order_by(
        "stage_entered_at", "pk"
    )
    for application in open_applications:
        if application.stage_id in by_stage:
            by_stage[application.stage_id]["applications"].append(application)
    return list(by_stage.values())


def ended(applications, *, limit: int = 50):
    return applications.exclude(status=ApplicationStatus.OPEN).order_by("-closed_at", "-pk")[:limit]


def stages_of(organisation):
    return list(
        Stage.objects.filter(organisation=organisation)
        .annotate(open_count=Count("applications", filter=Q(applications__status="open")))
        .order_by("position")
    )


def history(application):
    return list(application.events.select_related("stage", "actor"))


def application_by_agreement_token(token: str):
    """The application a personal agreement link points to, or None if unknown or expired.
    Read across scopes: the applicant has no account, the token is the authorisation."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        application = (
            Application.objects.select_related("organisation", "agreement_sent")
            .filter(agreement_token_digest=token_digest(token))
            .first()
        )
    if application is None or application.agreement_link_expires_at < timezone.now():
        return None
    return application


# Hours and expenses


def claims_visible_to(membership):
    """Every claim of the organisation with ``view_all_claims``; the member's own with
    ``view_own_claims``. The receipt itself is loaded only where it is served."""
    if membership is None:
        return Claim.objects.none()
    claims = Claim.objects.filter(organisation_id=membership.organisation_id).defer("receipt")
    return visible_by_table(
        claims,
        membership,
        "view_all_claims",
        "view_own_claims",
        own=lambda objects: objects.filter(peer__user_id=membership.user_id),
    )


def volunteer_peer_of(membership):
    """The member's volunteer peer profile in their organisation, or None."""
    if membership is None:
        return None
    return (
        Peer.objects.filter(
            organisation_id=membership.organisation_id,
            user_id=membership.user_id,
            kind=SupportType.VOLUNTEER,
        )
        .select_related("user")
        .first()
    )


def _local_range(first: date, following: date):
    return start_of_day(first), start_of_day(following)


def hours_of(peer, first: date, following: date) -> dict:
    """A volunteer's hours between two local days: from held sessions and the group sessions
    they facilitated (automatically), and the other tasks they recorded. Minutes each."""
    start, end = _local_range(first, following)
    from brobyg.groups.models import GroupSession
    from brobyg.support.models import Session, SessionStatus

    sessions = (
        Session.objects.filter(
            organisation=peer.organisation,
            peer=peer,
            status=SessionStatus.HELD,
            starts_at__gte=start,
            starts_at__lt=end,
        ).aggregate(minutes=Sum("duration_minutes"))["minutes"]
        or 0
    )
    groups = 0
    for starts, ends in GroupSession.objects.filter(
        organisation=peer.organisation,
        group__facilitators=peer,
        is_cancelled=False,
        starts_at__gte=start,
        starts_at__lt=min(end, timezone.now()),
    ).values_list("starts_at", "ends_at"):
        groups += int((ends - starts).total_seconds() // 60)
    other = list(
        HoursEntry.objects.filter(peer=peer, day__gte=first, day__lt=following).order_by("day")
    )
    other_minutes = sum(entry.minutes for entry in other)
    return {
        "sessions": sessions,
        "groups": groups,
        "other": other_minutes,
        "other_entries": other,
        "total": sessions + groups + other_minutes,
    }


def claims_of_peer(claims, peer, first: date, following: date):
    return claims.filter(peer=peer, day__gte=first, day__lt=following).order_by("day", "pk")


def claims_waiting(claims):
    return (
        claims.filter(status=ClaimStatus.SUBMITTED)
        .select_related("peer__user")
        .order_by("submitted_at", "pk")
    )


def approved_claims(claims, first: date, following: date):
    return (
        claims.filter(status=ClaimStatus.APPROVED, day__gte=first, day__lt=following)
        .select_related("peer__user", "decided_by")
        .order_by("peer__user__full_name", "day", "pk")
    )


def statement(peer, claims, year: int) -> dict:
    """A volunteer's year for tax purposes: per month the hours and the approved expenses by
    kind (tax-free reimbursement of documented expenses), and the totals."""
    rows = []
    approved = claims.filter(peer=peer, status=ClaimStatus.APPROVED, day__year=year)
    by_month = {}
    for month, kind, amount in approved.values_list("day__month", "kind", "amount"):
        by_month.setdefault(month, {}).setdefault(kind, Decimal("0"))
        by_month[month][kind] += amount
    km = approved.filter(kind="transport").aggregate(km=Sum("km"))["km"] or Decimal("0")
    totals = {kind: Decimal("0") for kind in ExpenseKind.values}
    total_minutes = 0
    for month in range(1, 13):
        first, following = month_bounds(date(year, month, 1))
        minutes = hours_of(peer, first, following)["total"]
        amounts = {
            kind: by_month.get(month, {}).get(kind, Decimal("0")) for kind in ExpenseKind.values
        }
        for kind, amount in amounts.items():
            totals[kind] += amount
        total_minutes += minutes
        rows.append(
            {
                "month": first,
                "hours": Decimal(minutes) / 60,
                "amounts": [amounts[kind] for kind in ExpenseKind.values],
                "total": sum(amounts.values()),
            }
        )
    return {
        "rows": rows,
        "kinds": [ExpenseKind(kind).label for kind in ExpenseKind.values],
        "totals": [totals[kind] for kind in ExpenseKind.values],
        "total": sum(totals.values()),
        "hours": Decimal(total_minutes) / 60,
        "km": km,
    }
