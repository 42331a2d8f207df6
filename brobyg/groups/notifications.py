"""E-mails about groups: the sign-up receipt, the coordinators' alert for a person in crisis, and
messages to all participants. Staff e-mails carry no names, only a link behind the log-in."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from brobyg.intake.selectors import coordinator_emails

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(template: str, context: dict, recipients: list[str], *, what: str, about) -> bool:
    if not recipients:
        return False
    with translation.override("da"):
        subject = render_to_string(f"groups/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"groups/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception as error:
        # Mail errors quote addresses: log the object's id and the kind of error only.
        logger.error("%s for %s not sent: %s", what, about.public_id, type(error).__name__)
        return False
    return True


def send_signup_receipt(*, participant) -> bool:
    if not participant.email:
        return False
    context = {"participant": participant, "group": participant.group}
    return _send(
        "signup_receipt", context, [participant.email], what="Sign-up receipt", about=participant
    )


def alert_coordinators(*, participant) -> bool:
    with scope(organisation=participant.organisation_id):
        recipients = coordinator_emails(participant.organisation)
    context = {
        "group": participant.group,
        "link": _absolute(reverse("groups_detail", args=[participant.group.public_id])),
    }
    return _send(
        "crisis_alert",
        context,
        recipients,
        what="Crisis alert",
        about=participant,
    )


def send_group_message(*, message, addresses: list[str]) -> int:
    """One e-mail per participant, so that nobody sees the others' addresses."""
    sent = 0
    context = {"message": message, "group": message.group}
    for address in addresses:
        if _send("message", context, [address], what="Group message", about=message):
            sent += 1
    return sent
