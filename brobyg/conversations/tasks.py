from django_scopes import scopes_disabled
from django_tasks import task

from brobyg.conversations.models import Message


@task()
def alert_coordinators(*, message_id: int) -> int:
    """Tell the coordinators at once that a citizen wrote a message with crisis signals, as
    intake does for a crisis answer (the same recipients: ``intake.selectors.coordinator_emails``).

    The e-mail holds no personal data and not the message, only a link behind the log-in.
    """
    from brobyg.conversations.notifications import staff_link
    from brobyg.intake.selectors import coordinator_emails
    from brobyg.lib.mail import send_templated_mail

    with scopes_disabled():
        message = Message.objects.select_related("conversation__course").get(pk=message_id)
        recipients = coordinator_emails(message.organisation)
    sent = send_templated_mail(
        "conversations/email/crisis",
        {"link": staff_link(message.conversation)},
        recipients,
        what="Crisis alert",
        about=message.conversation,
    )
    return len(set(recipients)) if sent else 0


@task()
def delete_old_conversations() -> dict:
    """Periodic: the retention of secure messages (``services.purge_expired``)."""
    from brobyg.conversations import services

    with scopes_disabled():
        return services.purge_expired()
