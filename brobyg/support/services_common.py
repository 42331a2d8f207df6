"""What the support services share: checks, dates, follow-ups and the audit entry."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from brobyg.audit.services import log_action
from brobyg.people.models import Peer, PeerStatus
from brobyg.support.models import FollowUp

FOLLOW_UP_MONTHS = (3, 6)
MAX_PEERS_PER_COURSE = 2


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_peers(organisation_id: int, peers) -> list[Peer]:
    peers = list(peers)
    if not 1 <= len(peers) <= MAX_PEERS_PER_COURSE:
        raise ValidationError({"peers": _("Choose one or two peers.")})
    if any(peer.organisation_id != organisation_id for peer in peers):
        raise ValidationError({"peers": _("A peer of another organisation cannot be chosen.")})
    if any(peer.status == PeerStatus.ENDED for peer in peers):
        raise ValidationError({"peers": _("A peer who has stopped cannot be given a course.")})
    return peers


def check_codes(values, allowed, field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if any(value not in allowed for value in values):
        raise ValidationError({field: _("Choose from the list.")})
    return values


def log(action, actor, target, subject, details=None, request=None, organisation=None):
    log_action(
        action=action,
        actor=actor,
        organisation=organisation or target.organisation,
        target=target,
        subject=subject,
        details=details or {},
        request=request,
    )


def plan_follow_ups(organisation, start: date, **subject) -> None:
    FollowUp.objects.bulk_create(
        FollowUp(
            organisation=organisation, months=months, due_on=add_months(start, months), **subject
        )
        for months in FOLLOW_UP_MONTHS
    )
