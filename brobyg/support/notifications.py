"""E-mails about courses and hand-overs. They hold no personal data, only a link behind the
log-in, because e-mail leaves the platform. They are sent after commit, outside the request's
organisation scope, so recipients are looked up with scopes disabled."""

from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.intake.selectors import coordinator_emails
from brobyg.lib.mail import absolute_url, send_templated_mail


def nudge_peers(course) -> bool:
    context = {"link": absolute_url(reverse("support_course_detail", args=[course.public_id]))}
    with scopes_disabled():
        recipients = [peer.user.email for peer in course.peers.select_related("user")]
    return send_templated_mail(
        "support/email/nudge",
        context,
        recipients,
        what="Nudge",
        about=course,
    )


def tell_receiving_coordinators(handover) -> bool:
    context = {"link": absolute_url(reverse("support_handover_detail", args=[handover.public_id]))}
    with scopes_disabled():
        recipients = coordinator_emails(handover.receiving_organisation)
    return send_templated_mail(
        "support/email/handover_proposed",
        context,
        recipients,
        what="Hand-over e-mail",
        about=handover,
    )


def tell_sending_side(handover) -> bool:
    context = {
        "handover": handover,
        "link": absolute_url(reverse("support_handover_detail", args=[handover.public_id])),
    }
    with scopes_disabled():
        recipients = {handover.proposed_by.email, *coordinator_emails(handover.organisation)}
    return send_templated_mail(
        "support/email/handover_answered",
        context,
        sorted(recipients),
        what="Hand-over answer",
        about=handover,
    )


def tell_receiving_peers(course) -> bool:
    """The peers of the course a hand-over started: a link to it, where the meeting is."""
    context = {"link": absolute_url(reverse("support_course_detail", args=[course.public_id]))}
    with scopes_disabled():
        recipients = [peer.user.email for peer in course.peers.select_related("user")]
    return send_templated_mail(
        "support/email/handover_new_course",
        context,
        recipients,
        what="Hand-over course e-mail",
        about=course,
    )


def tell_citizen_of_meeting(handover) -> bool:
    """The citizen, who shared their contact details for this hand-over: when and where they
    meet their new peer. It goes to the citizen alone, so it may say the time and place."""
    with scopes_disabled():
        citizen = handover.from_course.citizen
        context = {
            "handover": handover,
            "sending": handover.organisation.name,
            "receiving": handover.receiving_organisation.name,
        }
    if not citizen.email:
        return False
    return send_templated_mail(
        "support/email/handover_meeting_citizen",
        context,
        [citizen.email],
        what="Hand-over meeting e-mail",
        about=handover,
    )
