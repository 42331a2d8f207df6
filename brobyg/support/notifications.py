"""E-mails about courses and hand-overs. They hold no personal data, only a link behind the
log-in, because e-mail leaves the platform. They are sent after commit, outside the request's
organisation scope, so recipients are looked up with scopes disabled."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from brobyg.intake.selectors import coordinator_emails

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(template: str, context: dict, recipients: list[str], *, what: str, target) -> bool:
    if not recipients:
        return False
    with translation.override("da"):
        subject = render_to_string(f"support/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"support/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception as error:
        # Mail errors quote addresses: log the object's id and the kind of error only.
        logger.error("%s for %s not sent: %s", what, target.public_id, type(error).__name__)
        return False
    return True


def nudge_peers(course) -> bool:
    context = {"link": _absolute(reverse("support_course_detail", args=[course.public_id]))}
    with scopes_disabled():
        recipients = [peer.user.email for peer in course.peers.select_related("user")]
    return _send("nudge", context, recipients, what="Nudge", target=course)


def tell_receiving_coordinators(handover) -> bool:
    context = {"link": _absolute(reverse("support_handover_detail", args=[handover.public_id]))}
    with scopes_disabled():
        recipients = coordinator_emails(handover.receiving_organisation)
    return _send("handover_proposed", context, recipients, what="Hand-over e-mail", target=handover)


def tell_sending_side(handover) -> bool:
    context = {
        "handover": handover,
        "link": _absolute(reverse("support_handover_detail", args=[handover.public_id])),
    }
    with scopes_disabled():
        recipients = {handover.proposed_by.email, *coordinator_emails(handover.organisation)}
    return _send(
        "handover_answered", context, sorted(recipients), what="Hand-over answer", target=handover
    )
