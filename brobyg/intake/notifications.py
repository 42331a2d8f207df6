"""E-mails about requests for support, in Danish and English templates."""

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from brobyg.intake.links import personal_link
from brobyg.sms.models import TextKind

logger = logging.getLogger(__name__)


def send_receipt(*, support_request, token: str, language: str | None = None) -> bool:
    """Send the citizen their receipt with the personal link the way they are reached
    (``sms.selectors.channels``: e-mail, text or both)."""
    from brobyg.sms import selectors as sms_selectors

    citizen = support_request.citizen
    if not sms_selectors.may_mail(citizen):
        return text_receipt(support_request=support_request, token=token, language=language)
    mailed = _mail_receipt(support_request=support_request, token=token, language=language)
    if sms_selectors.may_text(citizen):
        return (
            text_receipt(support_request=support_request, token=token, language=language) or mailed
        )
    return mailed


def _mail_receipt(*, support_request, token: str, language: str | None = None) -> bool:
    citizen = support_request.citizen
    context = {"support_request": support_request, "link": personal_link(token)}
    with translation.override(language or translation.get_language() or "da"):
        subject = render_to_string("intake/email/receipt_subject.txt", context).strip()
        body = render_to_string("intake/email/receipt.txt", context)
    try:
        send_mail(subject, body, None, [citizen.email])
    except Exception as error:
        # Mail errors often quote the recipient's address: log the request's id and the kind
        # of error only. The citizen saw the personal link on the receipt page anyway.
        logger.error(
            "Receipt for request %s not sent: %s", support_request.public_id, type(error).__name__
        )
        return False
    return True


def text_receipt(*, support_request, token: str, language: str | None = None) -> bool:
    """Text the personal link to a citizen reached by text (``sms.selectors.may_text``)."""
    from brobyg.sms import selectors as sms_selectors
    from brobyg.sms import services as sms

    citizen = support_request.citizen
    if not sms_selectors.may_text(citizen):
        return False
    text = sms.render_text(
        "sms/receipt",
        {"organisation": support_request.organisation, "link": personal_link(token)},
        language=language or translation.get_language() or "da",
    )
    return (
        sms.send_text(
            organisation=support_request.organisation,
            phone=citizen.phone,
            text=text,
            kind=TextKind.RECEIPT,
            citizen=citizen,
        )
        is not None
    )
