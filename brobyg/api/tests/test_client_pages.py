"""The organisation admin creates an API client, sees its secret once, rotates and revokes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.api.models import ApiClient
from brobyg.api.tests.helpers import get_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, personas):
    client.force_login(personas.ada)
    return personas.ada


def create(client, **overrides):
    data = {
        "name": "Nexus",
        "roles": ["referrer"],
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return client.post(reverse("api_client_create"), data)


def test_it_shows_the_secret_once_and_keeps_only_its_hash(client, admin, personas):
    response = create(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    client_id = response.context["credential"].application.client_id
    assert secret in response.content.decode()
    with scopes_disabled():
        api_client = ApiClient.objects.get()
    assert api_client.roles == ["referrer"] and api_client.created_by == admin
    assert not api_client.account.is_active and not api_client.account.has_usable_password()
    detail = client.get(reverse("api_client_detail", kwargs={"public_id": api_client.public_id}))
    assert client_id in detail.content.decode() and secret not in detail.content.decode()
    assert get_token(client, client_id, secret).status_code == 200


def test_it_keeps_the_input_and_says_what_is_wrong(client, admin):
    response = create(client, roles=["admin"], expires_on="2000-01-01")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"roles", "expires_on"}
    assert form.data["name"] == "Nexus"
    with scopes_disabled():
        assert not ApiClient.objects.exists()


def test_it_rotates_and_revokes_from_the_page(client, admin):
    first = create(client)
    old_id, old_secret = first.context["credential"].application.client_id, first.context["secret"]
    api_client = first.context["api_client"]
    rotated = client.post(reverse("api_client_rotate", kwargs={"public_id": api_client.public_id}))
    new_id, new_secret = (
        rotated.context["credential"].application.client_id,
        rotated.context["secret"],
    )
    assert get_token(client, old_id, old_secret).status_code == 200
    assert get_token(client, new_id, new_secret).status_code == 200
    third = client.post(
        reverse("api_client_rotate", kwargs={"public_id": api_client.public_id}), follow=True
    )
    assert "højst to hemmeligheder" in third.content.decode()
    client.post(reverse("api_client_revoke", kwargs={"public_id": api_client.public_id}))
    assert get_token(client, new_id, new_secret).status_code == 401
    assert get_token(client, old_id, old_secret).status_code == 401
