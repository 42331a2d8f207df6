"""E-mails to applicants (the receipt, the kind "not now") and to coordinators (an applicant in
crisis, applications waiting too long). Staff get a link behind the log-in and no personal data."""

from django.urls import reverse
from django.utils import translation

from brobyg.lib.mail import absolute_url, send_templated_mail
from brobyg.orgs.selectors import active_members_holding

PERMISSION = "manage_volunteers"


def coordinator_emails(organisation) -> list[str]:
    return [member.user.email for member in active_members_holding(organisation, PERMISSION)]


def send_receipt(*, application) -> bool:
    return send_templated_mail(
        "volunteers/email/receipt",
        {"application": application, "organisation": application.organisation},
        [application.email],
        what="Volunteer application receipt",
        about=application,
        language=translation.get_language() or "da",
    )


def send_not_now(*, application, message: str) -> bool:
    return send_templated_mail(
        "volunteers/email/not_now",
        {
            "application": application,
            "organisation": application.organisation,
            "message": message,
        },
        [application.email],
        what="Volunteer application ending",
        about=application,
    )


def send_crisis_alert(*, application) -> bool:
    return send_templated_mail(
        "volunteers/email/crisis",
        {"link": absolute_url(reverse("volunteers_detail", args=[application.public_id]))},
        coordinator_emails(application.organisation),
        what="Volunteer applicant crisis alert",
        about=application,
    )


def send_waiting_reminder(*, organisation, count: int) -> bool:
    return send_templated_mail(
        "volunteers/email/waiting",
        {"count": count, "link": absolute_url(reverse("volunteers_pipeline"))},
        coordinator_emails(organisation),
        what="Volunteer pipeline reminder",
        about=organisation,
    )


def agreement_link(token: str) -> str:
    return absolute_url(reverse("volunteer_agreement", args=[token]))


def send_agreement_link(*, application, token: str) -> bool:
    return send_templated_mail(
        "volunteers/email/agreement",
        {
            "application": application,
            "organisation": application.organisation,
            "link": agreement_link(token),
        },
        [application.email],
        what="Volunteer agreement link",
        about=application,
    )
