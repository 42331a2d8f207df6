"""E-mails about questionnaires: invitations, reminders, and peer check-in alerts."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from brobyg.outcomes import selectors
from brobyg.outcomes.links import answer_link, invitation_token
from brobyg.sms import selectors as sms_selectors
from brobyg.sms import services as sms
from brobyg.sms.models import TextKind

logger = logging.getLogger(__name__)


def send_invitation_mail(invitation, *, reminder: bool = False) -> bool:
    """Send the respondent their questionnaire link, a citizen the way they are reached
    (``sms.selectors.channels``: e-mail, text or both); False when there is no way or the
    sending fails (the link can still be printed or opened from the start page)."""
    respondent = invitation.participant or invitation.citizen or invitation.user
    by_citizen = invitation.participant_id is None and invitation.citizen_id is not None
    by_mail = sms_selectors.may_mail(invitation.citizen) if by_citizen else bool(respondent.email)
    if not by_mail:
        return text_invitation(invitation, reminder=reminder)
    mailed = _mail_invitation(invitation, respondent, reminder=reminder)
    if by_citizen and sms_selectors.may_text(invitation.citizen):
        return text_invitation(invitation, reminder=reminder) or mailed
    return mailed


def _mail_invitation(invitation, respondent, *, reminder: bool) -> bool:
    texts = selectors.instrument_texts(invitation.instrument, invitation.organisation)
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "title": texts.title_in(invitation.language),
            "minutes": texts.definition.minutes,
            "link": answer_link(invitation_token(invitation)),
            "reminder": reminder,
        }
        subject = render_to_string("outcomes/email/invitation_subject.txt", context).strip()
        body = render_to_string("outcomes/email/invitation.txt", context)
    try:
        send_mail(subject, body, None, [respondent.email])
    except Exception as error:
        # The error may quote the address: log the invitation's id and the kind of error only.
        logger.error(
            "Questionnaire invitation %s not sent: %s", invitation.public_id, type(error).__name__
        )
        return False
    return True


def text_invitation(invitation, *, reminder: bool = False) -> bool:
    """Text the questionnaire link to a citizen reached by text (``sms.selectors.may_text``);
    the text names neither the questionnaire nor what it is about."""
    citizen = invitation.citizen
    if invitation.participant_id is not None or not sms_selectors.may_text(citizen):
        return False
    text = sms.render_text(
        "sms/questionnaire",
        {
            "organisation": invitation.organisation,
            "link": answer_link(invitation_token(invitation)),
            "reminder": reminder,
        },
        language=invitation.language,
    )
    message = sms.send_text(
        organisation=invitation.organisation,
        phone=citizen.phone,
        text=text,
        kind=TextKind.REMINDER if reminder else TextKind.QUESTIONNAIRE,
        citizen=citizen,
    )
    return message is not None


def send_alert_mail(alert) -> int:
    """Tell the organisation's supervisors and coordinators that a peer may need a talk. The
    e-mail says why, never what the peer answered."""
    recipients = selectors.alert_recipients(alert.organisation, exclude_user=alert.user)
    if not recipients:
        return 0
    context = {
        "alert": alert,
        "peer_name": alert.user.full_name,
        "link": settings.SITE_URL.rstrip("/") + reverse("start"),
    }
    with translation.override("da"):
        context["reasons"] = alert.get_reasons_display()
        subject = render_to_string("outcomes/email/peer_alert_subject.txt", context).strip()
        body = render_to_string("outcomes/email/peer_alert.txt", context)
    send_mail(subject, body, None, recipients)
    return len(recipients)
