"""E-mails about proposals. Staff e-mails hold no personal data, only a link behind the log-in;
the citizen's e-mail holds their personal link."""

from django.urls import reverse
from django.utils import translation

from brobyg.intake.selectors import coordinator_emails
from brobyg.lib.mail import absolute_url, send_templated_mail
from brobyg.sms import selectors as sms_selectors
from brobyg.sms import services as sms
from brobyg.sms.models import TextKind


def citizen_link(token: str) -> str:
    return absolute_url(reverse("matching_citizen_answer", args=[token]))


def tell_peer_of_proposal(match) -> bool:
    context = {"link": absolute_url(reverse("matching_match_detail", args=[match.public_id]))}
    return send_templated_mail(
        "matching/email/peer_proposal",
        context,
        [match.peer.user.email],
        what="Proposal e-mail",
        about=match,
    )


def send_citizen_link(match, token: str) -> bool:
    """The proposal's link, the way the citizen is reached (``sms.selectors.channels``)."""
    if not sms_selectors.may_mail(match.citizen):
        return text_citizen_link(match, token)
    context = {"match": match, "link": citizen_link(token), "peer_name": first_name(match.peer)}
    mailed = send_templated_mail(
        "matching/email/citizen_link",
        context,
        [match.citizen.email],
        what="Citizen link",
        about=match,
    )
    if sms_selectors.may_text(match.citizen):
        return text_citizen_link(match, token) or mailed
    return mailed


def text_citizen_link(match, token: str) -> bool:
    """Text the proposal's link to a citizen reached by text (``sms.selectors.may_text``)."""
    if not sms_selectors.may_text(match.citizen):
        return False
    text = sms.render_text(
        "sms/match",
        {"organisation": match.organisation, "link": citizen_link(token)},
        language=translation.get_language() or "da",
    )
    message = sms.send_text(
        organisation=match.organisation,
        phone=match.citizen.phone,
        text=text,
        kind=TextKind.MATCH,
        citizen=match.citizen,
    )
    return message is not None


def tell_coordinators(match) -> bool:
    context = {
        "match": match,
        "link": absolute_url(reverse("matching_match_detail", args=[match.public_id])),
    }
    return send_templated_mail(
        "matching/email/coordinator_answer",
        context,
        coordinator_emails(match.organisation),
        what="Answer e-mail",
        about=match,
    )


def first_name(peer) -> str:
    """Citizens see the peer's first name only until they meet."""
    return (peer.user.full_name or "").split(" ")[0]
