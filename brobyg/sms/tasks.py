from django_scopes import scopes_disabled
from django_tasks import task

from brobyg.sms import services


@task()
def send_text_message(*, message_id: int) -> str:
    """Hand one recorded text to the provider (``services.attempt``)."""
    with scopes_disabled():
        return services.attempt(message_id=message_id)


@task()
def retry_text_messages() -> int:
    """Periodic: try again the texts the provider could not take earlier."""
    with scopes_disabled():
        return services.retry_due()


@task()
def delete_old_text_messages() -> int:
    """Periodic: delete the records of texts past their retention."""
    with scopes_disabled():
        return services.purge_expired()
