"""E-mails about groups: the sign-up receipt, the coordinators' alert for a person in crisis, and
messages to all participants. Staff e-mails carry no names, only a link behind the log-in."""

from django.urls import reverse
from django_scopes import scope

from brobyg.intake.selectors import coordinator_emails
from brobyg.lib.mail import absolute_url, send_templated_mail


def send_signup_receipt(*, participant) -> bool:
    if not participant.email:
        return False
    context = {"participant": participant, "group": participant.group}
    return send_templated_mail(
        "groups/email/signup_receipt",
        context,
        [participant.email],
        what="Sign-up receipt",
        about=participant,
    )


def alert_coordinators(*, participant) -> bool:
    with scope(organisation=participant.organisation_id):
        recipients = coordinator_emails(participant.organisation)
    context = {
        "group": participant.group,
        "link": absolute_url(reverse("groups_detail", args=[participant.group.public_id])),
    }
    return send_templated_mail(
        "groups/email/crisis_alert",
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
        if send_templated_mail(
            "groups/email/message",
            context,
            [address],
            what="Group message",
            about=message,
        ):
            sent += 1
    return sent
