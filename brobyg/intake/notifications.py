"""E-mails about requests for support, in Danish and English templates."""

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from brobyg.intake.links import personal_link

logger = logging.getLogger(__name__)


def send_receipt(*, support_request, token: str, language: str | None = None) -> bool:
    """E-mail the citizen their receipt with the personal link, if they gave an e-mail address."""
    citizen = support_request.citizen
    if not citizen.email:
        return False
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
