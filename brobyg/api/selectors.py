from django.utils import timezone

from brobyg.api.models import ApiClient, ApiCredential, WebhookDelivery


def live_credential_of_application(application_id) -> ApiCredential | None:
    """The credential of an OAuth application if it and its client may still call the API."""
    credential = (
        ApiCredential.objects.filter(application_id=application_id, retired_at=None)
        .select_related("api_client__organisation", "api_client__account")
        .first()
    )
    if credential is None or not credential.api_client.is_live():
        return None
    return credential


def clients_of(organisation):
    return (
        ApiClient.objects.filter(organisation=organisation)
        .prefetch_related("credentials__application")
        .order_by("revoked_at", "name")
    )


def live_clients_of(organisation, *, today=None):
    today = today or timezone.localdate()
    return ApiClient.objects.filter(
        organisation=organisation, revoked_at=None, expires_on__gte=today
    )


# The delivery log shows this many of a client's latest deliveries.
DELIVERY_LOG_LENGTH = 200


def deliveries_of(api_client):
    return (
        WebhookDelivery.objects.filter(subscription__api_client=api_client)
        .select_related("subscription")
        .order_by("-created_at", "-pk")[:DELIVERY_LOG_LENGTH]
    )


def subscriptions_of(api_client):
    return api_client.subscriptions.filter(stopped_at=None).order_by("created_at")
