"""E-mails about courses and hand-overs. They hold no personal data, only a link behind the
log-in, because e-mail leaves the platform. They are sent after commit, outside the request's
organisation scope, so recipients are looked up with scopes disabled."""

from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.intake.selectors import coordinator_emails
from brobyg.lib.mail import absolute_url, send_templated_mail


def _tell_course_peers(course, template: str, what: str) -> bool:
    """The course's peers: a link to the course, nothing more."""
    context = {"link": absolute_url(reverse("support_course_detail", args=[course.public_id]))}
    with scopes_disabled():
        recipients = [peer.user.email for peer in course.peers.select_related("user")]
    return send_templated_mail(template, context, recipients, what=what, about=course)


def nudge_peers(course) -> bool:
    return _tell_course_peers(course, "support/email/nudge", "Nudge")


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
    """The peers of the course a hand-over started."""
    return _tell_course_peers(course, "support/email/handover_new_course", "Hand-over e-mail")


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
