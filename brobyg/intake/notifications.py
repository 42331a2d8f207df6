"""E-mails about requests for support, in Danish and English templates."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from brobyg.intake.links import personal_link


def send_receipt(*, support_request, token: str, language: str | None = None) -> bool:
    """E-mail the citizen their receipt with the personal link, if they gave an e-mail address."""
    citizen = support_request.citizen
    if not citizen.email:
        return False
    context = {"support_request": support_request, "link": personal_link(token)}
    with translation.override(language or translation.get_language() or "da"):
        subject = render_to_string("intake/email/receipt_subject.txt", context).strip()
        body = render_to_string("intake/email/receipt.txt", context)
    send_mail(subject, body, None, [citizen.email])
    return True
