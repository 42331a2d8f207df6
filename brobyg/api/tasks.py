from django_scopes import scopes_disabled
from django_tasks import task

from brobyg.api import services_webhooks


@task()
def deliver_webhook(*, delivery_id: int) -> str:
    """POST one webhook delivery to its receiver (``services_webhooks.attempt``)."""
    with scopes_disabled():
        return services_webhooks.attempt(delivery_id=delivery_id)


@task()
def retry_webhook_deliveries() -> int:
    """Periodic: try again the deliveries whose receiver failed earlier."""
    return services_webhooks.retry_due()


@task()
def delete_old_webhook_deliveries() -> int:
    """Periodic: delete the delivery records past their retention."""
    return services_webhooks.purge_expired()
