"""Webhook subscriptions and deliveries: subscribing, recording an event for each subscription
that may see it, handing it to the receiver (by the background worker), trying again with
back-off, sending again on the admin's request, and deleting old records."""

import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from brobyg.api import webhooks
from brobyg.api.models import (
    SENDABLE_STATUSES,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on
from brobyg.lib import crypto
from brobyg.orgs.models import Membership
from brobyg.orgs.permissions import permissions_for_roles

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
USER_AGENT = "Brobyg-Webhooks/1"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def check_url(url: str) -> None:
    """An https address; plain http only to this machine, and only where the installation
    allows it (development and tests: ``BROBYG_WEBHOOK_ALLOW_HTTP``)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if (
        parts.scheme == "http"
        and settings.BROBYG_WEBHOOK_ALLOW_HTTP
        and parts.hostname in LOCAL_HOSTS
    ):
        return
    raise ValidationError({"url": _("Give an https address.")})


@transaction.atomic
def subscription_create(
    *, actor, api_client, url: str, events: list[str], request=None
) -> tuple[WebhookSubscription, str]:
    """A new subscription; returns the signing secret in clear: shown once."""
    if not api_client.is_live():
        raise ValidationError(_("This client is revoked or expired."))
    if not events or any(event not in WebhookEvent.values for event in events):
        raise ValidationError({"events": _("Choose at least one event.")})
    check_url(url)
    secret = SECRET_PREFIX + secrets.token_hex(32)
    subscription = WebhookSubscription(
        organisation=api_client.organisation,
        api_client=api_client,
        url=url,
        events=list(events),
        secret_encrypted=crypto.encrypt(secret),
        created_by=actor,
    )
    subscription.full_clean()
    subscription.save()
    log_action_on(
        api_client,
        action=Action.CREATE,
        actor=actor,
        details={"webhook": str(subscription.public_id), "events": list(events)},
        request=request,
    )
    return subscription, secret


@transaction.atomic
def subscription_stop(*, actor, subscription, request=None) -> None:
    """No more events to this address; deliveries still waiting are given up."""
    if subscription.stopped_at is not None:
        return
    subscription.stopped_at = timezone.now()
    subscription.save(update_fields=["stopped_at"])
    subscription.deliveries.filter(status__in=SENDABLE_STATUSES).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, last_error="subscription stopped"
    )
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=subscription.organisation,
        target=subscription.api_client,
        details={"webhook_stopped": str(subscription.public_id)},
        request=request,
    )


def _may_see(api_client, rules, target_pk) -> bool:
    permissions = permissions_for_roles(api_client.roles)
    membership = Membership(
        organisation=api_client.organisation, user=api_client.account, roles=api_client.roles
    )
    return any(
        permissions.intersection(rule.permissions)
        and rule.visible(membership).filter(pk=target_pk).exists()
        for rule in rules
    )


def on_event(*, event, organisation_id, target_model, target_pk, ids, occurred_at) -> int:
    """``orgs.extensions``' listener: a delivery for each live subscription to ``event`` whose
    client may see the object, each handed to the worker. Returns how many."""
    rules = webhooks.RULES[event]
    today = timezone.localdate()
    with scope(organisation=organisation_id):
        subscriptions = [
            subscription
            for subscription in WebhookSubscription.objects.filter(
                organisation_id=organisation_id,
                stopped_at=None,
                api_client__revoked_at=None,
                api_client__expires_on__gte=today,
            ).select_related("api_client__account", "api_client__organisation", "organisation")
            if event in subscription.events and _may_see(subscription.api_client, rules, target_pk)
        ]
        if not subscriptions:
            return 0
        payload = {
            "id": str(uuid.uuid4()),
            "type": event,
            "occurred_at": occurred_at.isoformat(),
            "organisation": str(subscriptions[0].organisation.public_id),
            "data": ids,
        }
        with transaction.atomic():
            deliveries = WebhookDelivery.objects.bulk_create(
                WebhookDelivery(
                    organisation_id=organisation_id,
                    subscription=subscription,
                    event_id=payload["id"],
                    event=event,
                    payload=payload,
                )
                for subscription in subscriptions
            )
            _enqueue([delivery.pk for delivery in deliveries])
    return len(deliveries)


def _enqueue(delivery_ids) -> None:
    from brobyg.api import tasks

    for delivery_id in delivery_ids:
        transaction.on_commit(
            lambda pk=delivery_id: tasks.deliver_webhook.enqueue(delivery_id=pk), robust=True
        )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other (not 2xx), never followed."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict) -> int:
    """POST ``body``; the status code. Raises OSError when the receiver cannot be reached."""
    check_url(url)  # again: only https (or http to this machine where allowed)
    outgoing = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, data=body, headers=headers, method="POST"
    )
    try:
        with _opener.open(outgoing, timeout=settings.BROBYG_WEBHOOK_TIMEOUT_SECONDS) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8, ... minutes after the last attempt, at most six hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))


def attempt(*, delivery_id: int, now=None) -> str:
    """Hand one delivery to its receiver if it is still waiting; returns its status afterwards.

    Claimed (``sending``) before the call, so a task run twice never posts it twice. A 2xx
    answer delivers it; anything else is tried again after ``retry_delay`` until
    ``BROBYG_WEBHOOK_MAX_ATTEMPTS``, then given up. Only the status code or a short error code
    is kept, never what the receiver answered."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(pk=delivery_id, status__in=SENDABLE_STATUSES).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    if not claimed:
        return delivery.status
    body = webhooks.body_of(delivery.payload)
    secret = crypto.decrypt(delivery.subscription.secret_encrypted)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Brobyg-Event": delivery.event,
        "Brobyg-Delivery": str(delivery.public_id),
        webhooks.SIGNATURE_HEADER: webhooks.signature(secret, int(time.time()), body),
    }
    code, error = None, ""
    try:
        code = _post(delivery.subscription.url, body, headers)
    except ValidationError:
        error = "address not allowed"
    except TimeoutError:
        error = "timeout"
    except OSError as failure:
        error = type(getattr(failure, "reason", failure)).__name__[:60] or "unreachable"
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            last_status_code=code,
            last_error="",
            next_attempt_at=None,
        )
        return DeliveryStatus.DELIVERED
    error = error or f"HTTP {code}"
    give_up = delivery.attempts >= settings.BROBYG_WEBHOOK_MAX_ATTEMPTS
    logger.warning(
        "Webhook delivery %s not delivered (attempt %s): %s",
        delivery.public_id,
        delivery.attempts,
        error,
    )
    status = DeliveryStatus.FAILED if give_up else DeliveryStatus.RETRYING
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=status,
        last_status_code=code,
        last_error=error,
        next_attempt_at=None if give_up else now + retry_delay(delivery.attempts),
    )
    return status


def retry_due(*, now=None) -> int:
    """Periodic: try again every delivery whose next attempt is due; returns how many were
    delivered."""
    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            WebhookDelivery.objects.filter(
                status=DeliveryStatus.RETRYING, next_attempt_at__lte=now
            ).values_list("pk", flat=True)
        )
        return sum(attempt(delivery_id=pk, now=now) == DeliveryStatus.DELIVERED for pk in due)


@transaction.atomic
def delivery_send_again(*, actor, delivery, request=None) -> WebhookDelivery:
    """The admin's "send again": the same event (same id and body, signed anew), as a fresh
    series of attempts, handed to the worker now."""
    if delivery.subscription.stopped_at is not None:
        raise ValidationError(_("This address no longer receives events."))
    if not delivery.subscription.api_client.is_live():
        raise ValidationError(_("This client is revoked or expired."))
    if delivery.status == DeliveryStatus.SENDING:
        raise ValidationError(_("This delivery is being sent now."))
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=delivery.organisation,
        target=delivery.subscription.api_client,
        details={"webhook_delivery_sent_again": str(delivery.public_id)},
        request=request,
    )
    _enqueue([delivery.pk])
    return delivery


@transaction.atomic
def purge_expired(*, now=None) -> int:
    """Periodic: delete delivery records older than ``BROBYG_WEBHOOK_RETENTION_DAYS``."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.BROBYG_WEBHOOK_RETENTION_DAYS)
    with scopes_disabled():
        deleted, _counts = WebhookDelivery.objects.filter(created_at__lt=cutoff).delete()
    return deleted
