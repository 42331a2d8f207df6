"""Making API clients and getting their tokens in tests (used by the authorisation matrix too)."""

import base64
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.api import services


def make_api_client(organisation, roles, *, actor, name=None, days=30):
    """A live client; returns (client, client id, secret)."""
    with scopes_disabled():
        api_client, credential, secret = services.api_client_create(
            actor=actor,
            organisation=organisation,
            name=name or f"Client {'+'.join(roles)}",
            roles=roles,
            expires_on=timezone.localdate() + timedelta(days=days),
        )
        return api_client, credential.application.client_id, secret


def get_token(client, client_id: str, secret: str):
    """The token endpoint's answer for client credentials sent with HTTP Basic."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post(
        reverse("api_token"),
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


def bearer(client, client_id: str, secret: str) -> dict:
    """Headers for the test client's calls with a fresh token."""
    response = get_token(client, client_id, secret)
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}
