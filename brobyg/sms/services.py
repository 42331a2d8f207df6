"""Sending text messages: ``send_text`` is the one function other apps call.

A text is recorded, then sent by the background worker (``tasks.send_text_message``), so a slow or
failing provider never holds up a page; a provider that fails for a while is tried again by the
periodic jobs (``retry_due``), waiting 2, 4, 8, ... minutes, ``BROBYG_SMS_MAX_ATTEMPTS`` times
in all. The coordinator sees every text's delivery on the text-message page. The text itself is
stored encrypted only until it has been handed over or given up, never logged.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_scopes import scope

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.lib import crypto
from brobyg.sms import backends
from brobyg.sms.models import PENDING_STATUSES, TextMessage, TextStatus

logger = logging.getLogger(__name__)

# A text longer than this is refused: three SMS parts at most.
MAX_TEXT_LENGTH = 459
DANISH_COUNTRY_CODE = "45"


def msisdn(phone: str) -> str:
    """The number as the provider takes it: country code and number, digits only
    ("20 30 40 50" → "4520304050", "+46 70 123 45 67" → "46701234567"); empty when it is not a
    number a text can be sent to."""
    phone = (phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    if phone.startswith("+"):
        number = digits
    elif digits.startswith("00"):
        number = digits[2:]
    elif len(digits) == 8:
        number = DANISH_COUNTRY_CODE + digits
    else:
        number = digits
    return number if 10 <= len(number) <= 15 and not number.startswith("0") else ""


def render_text(template: str, context: dict, *, language: str) -> str:
    """``templates/<template>.txt`` in ``language`` ("da" or "en"), whitespace tidied."""
    with translation.override(language if language in ("da", "en") else "da"):
        text = render_to_string(f"{template}.txt", context)
    return "\n".join(line.strip() for line in text.strip().splitlines())


@transaction.atomic
def send_text(*, organisation, phone: str, text: str, kind: str, citizen=None):
    """Send ``text`` to ``phone`` as ``organisation``: recorded now, handed to the provider by the
    background worker once the surrounding transaction commits. Returns the ``TextMessage``, or
    None when texts are switched off (``BROBYG_SMS_BACKEND=disabled``) or the number cannot take
    a text. The text must be short (at most ``MAX_TEXT_LENGTH`` characters) and hold no health
    data: a phone's lock screen shows it."""
    if not backends.enabled():
        return None
    number = msisdn(phone)
    if not number:
        return None
    if not text or len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"A text must be 1 to {MAX_TEXT_LENGTH} characters.")
    message = TextMessage(
        organisation=organisation,
        citizen=citizen,
        kind=kind,
        msisdn=number,
        text_encrypted=crypto.encrypt(text),
    )
    with scope(organisation=organisation.pk):
        message.full_clean()
        message.save()
    log_action(
        action=Action.CREATE,
        organisation=organisation,
        target=message,
        subject=citizen,
        details={"kind": kind},
    )
    from brobyg.sms import tasks

    transaction.on_commit(
        lambda: tasks.send_text_message.enqueue(message_id=message.pk), robust=True
    )
    return message


def attempt(*, message_id: int, now=None) -> str:
    """Hand one text to the provider, if it is still waiting; returns its status afterwards.

    The text is claimed (``sending``) in its own transaction before the provider is called, so a
    task run twice, or a worker that dies in the middle, never sends it twice: a text left
    ``sending`` is shown as such and not tried again."""
    now = now or timezone.now()
    claimed = TextMessage.objects.filter(pk=message_id, status__in=PENDING_STATUSES).update(
        status=TextStatus.SENDING, attempts=F("attempts") + 1
    )
    message = TextMessage.objects.get(pk=message_id)
    if not claimed:
        return message.status
    try:
        provider_id = backends.get_backend().send(
            msisdn=message.msisdn,
            text=crypto.decrypt(message.text_encrypted),
            sender=settings.BROBYG_SMS_SENDER,
        )
    except backends.SmsError as error:
        give_up = error.permanent or message.attempts >= settings.BROBYG_SMS_MAX_ATTEMPTS
        logger.warning(
            "Text %s not sent (attempt %s): %s", message.public_id, message.attempts, error.code
        )
        TextMessage.objects.filter(pk=message_id).update(
            status=TextStatus.FAILED if give_up else TextStatus.RETRYING,
            error=error.code[:40],
            next_attempt_at=None if give_up else now + retry_delay(message.attempts),
            text_encrypted="" if give_up else message.text_encrypted,
        )
    else:
        TextMessage.objects.filter(pk=message_id).update(
            status=TextStatus.SENT,
            sent_at=now,
            provider_id=provider_id[:64],
            error="",
            next_attempt_at=None,
            text_encrypted="",
        )
    return TextMessage.objects.values_list("status", flat=True).get(pk=message_id)


def retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=2**attempts)


def retry_due(*, now=None) -> int:
    """Periodic: send again every text whose next attempt is due; returns how many were sent."""
    now = now or timezone.now()
    due = list(
        TextMessage.objects.filter(
            status=TextStatus.RETRYING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    return sum(attempt(message_id=pk, now=now) == TextStatus.SENT for pk in due)


@transaction.atomic
def purge_expired(*, now=None) -> int:
    """Periodic: delete the records of texts older than ``BROBYG_SMS_RETENTION_DAYS``."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.BROBYG_SMS_RETENTION_DAYS)
    deleted, _ = TextMessage.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def move_for_merge(*, actor, keep, duplicate) -> dict:
    """People's merge step: the texts sent to the duplicate record follow the person."""
    return {"text_messages": TextMessage.objects.filter(citizen=duplicate).update(citizen=keep)}


# GatewayAPI's delivery statuses: the final ones set the text's status; the others (ACCEPTED,
# SCHEDULED, BUFFERED, ENROUTE, UNKNOWN) are recorded as the latest report only.
DELIVERED_REPORTS = frozenset({"DELIVERED"})
UNDELIVERED_REPORTS = frozenset({"UNDELIVERABLE", "EXPIRED", "REJECTED", "DELETED", "SKIPPED"})
AFTER_HANDOVER = (TextStatus.SENDING, TextStatus.SENT, TextStatus.DELIVERED, TextStatus.UNDELIVERED)


@transaction.atomic
def delivery_report_record(*, provider_id: str, msisdn: str, report: str) -> TextMessage | None:
    """The provider's delivery report for the text it gave ``provider_id``: the text becomes
    delivered or not delivered (a later report that is not final never undoes a final one).
    None when no text has that id and number (an old or foreign report). Logs the text's id and
    the report only."""
    report = (report or "").strip().upper()[:16]
    if not provider_id or not report.isalpha():
        return None
    from django_scopes import scopes_disabled

    with scopes_disabled():
        text = (
            TextMessage.objects.select_for_update()
            .filter(provider_id=str(provider_id), msisdn=str(msisdn))
            .first()
        )
    if text is None or text.status not in AFTER_HANDOVER:
        return None
    final = text.status in (TextStatus.DELIVERED, TextStatus.UNDELIVERED)
    if report in DELIVERED_REPORTS:
        text.status = TextStatus.DELIVERED
    elif report in UNDELIVERED_REPORTS:
        text.status = TextStatus.UNDELIVERED
    elif final:
        return text
    else:
        text.status = TextStatus.SENT
    text.delivery_report = report
    text.reported_at = timezone.now()
    text.save(update_fields=["status", "delivery_report", "reported_at"])
    logger.info("Text %s: delivery report %s", text.public_id, report)
    return text
