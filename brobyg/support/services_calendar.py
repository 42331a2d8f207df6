"""Writes for a member's personal calendar feed (its link token)."""

from django.db import transaction

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.lib.links import new_link_token, token_digest
from brobyg.support.models import CalendarFeed


@transaction.atomic
def calendar_feed_renew(*, actor, membership, request=None) -> str:
    """A new secret feed address for the member (an earlier one stops working); shown once."""
    token = new_link_token()
    CalendarFeed.objects.update_or_create(
        membership=membership,
        defaults={
            "organisation": membership.organisation,
            "token_digest": token_digest(token),
        },
    )
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=membership.organisation,
        object_type="support.calendarfeed",
        object_id=str(membership.public_id),
        details={"renewed": True},
        request=request,
    )
    return token


@transaction.atomic
def calendar_feed_stop(*, actor, membership, request=None) -> None:
    CalendarFeed.objects.filter(membership=membership).delete()
    log_action(
        action=Action.DELETE,
        actor=actor,
        organisation=membership.organisation,
        object_type="support.calendarfeed",
        object_id=str(membership.public_id),
        request=request,
    )
