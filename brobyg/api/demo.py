"""Demo API clients: the municipality's case system, which refers citizens (its secret was
rotated once, so the client page shows a retired and a current secret) and is told of status
changes and courses by a webhook (its delivery log shows a delivered, a retrying and a given-up
event), and the region's data warehouse as an evaluator. Their secrets are not kept: an admin
adds a new one to try the API."""

import uuid
from datetime import timedelta

from brobyg.api import services
from brobyg.api.models import DeliveryStatus, WebhookDelivery

WEBHOOK_URL = "https://nexus.kk.example.invalid/brobyg/events"
WEBHOOK_EVENTS = ["request.status_changed", "course.started", "course.ended"]

# (event, minutes ago, status, attempts, last status code, last error)
DELIVERIES = [
    ("request.status_changed", 300, DeliveryStatus.DELIVERED, 1, 200, ""),
    ("course.started", 180, DeliveryStatus.DELIVERED, 2, 200, ""),
    ("request.status_changed", 40, DeliveryStatus.RETRYING, 3, 503, "HTTP 503"),
    ("course.ended", 1500, DeliveryStatus.FAILED, 8, None, "timeout"),
]


def _webhook(admin, api_client, context) -> None:
    """The case system's webhook and a log of earlier deliveries (made as records: the demo's
    address does not exist, and events during the demo are tried and logged the same way)."""
    subscription, _secret = services.subscription_create(
        actor=admin, api_client=api_client, url=WEBHOOK_URL, events=WEBHOOK_EVENTS
    )
    organisation = api_client.organisation
    for event, minutes, status, attempts, code, error in DELIVERIES:
        at = context.now - timedelta(minutes=minutes)
        WebhookDelivery.objects.create(
            organisation=organisation,
            subscription=subscription,
            event_id=uuid.uuid4(),
            event=event,
            payload={
                "id": str(uuid.uuid4()),
                "type": event,
                "occurred_at": at.isoformat(),
                "organisation": str(organisation.public_id),
                "data": {},
            },
            status=status,
            attempts=attempts,
            created_at=at,
            last_attempt_at=at + timedelta(minutes=2 ** (attempts - 1) - 1),
            next_attempt_at=context.now + timedelta(minutes=4)
            if status == DeliveryStatus.RETRYING
            else None,
            last_status_code=code,
            last_error=error,
            delivered_at=at if status == DeliveryStatus.DELIVERED else None,
        )


CLIENTS = [
    ("Københavns Kommune", "Nexus (kommunens omsorgssystem)", ["referrer"], True),
    ("Region Hovedstaden", "Regionens datavarehus", ["evaluator"], False),
]


def seed(context) -> None:
    admin = context.users[f"admin@{context.domain}"]
    for org_name, name, roles, rotated in CLIENTS:
        api_client, first, _secret = services.api_client_create(
            actor=admin,
            organisation=context.organisations[org_name],
            name=name,
            roles=roles,
            expires_on=context.today + timedelta(days=180),
        )
        if rotated:
            services.api_credential_add(actor=admin, api_client=api_client)
            services.api_credential_retire(actor=admin, credential=first)
            _webhook(admin, api_client, context)
