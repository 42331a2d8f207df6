from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.api import services
from brobyg.api.tests.helpers import bearer, get_token, make_api_client
from brobyg.audit.models import LogEntry
from brobyg.test import in_org, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(personas):
    return make_api_client(personas.org_a, ["coordinator"], actor=personas.alice)


def test_it_gives_a_short_lived_token_for_client_credentials(client, coordinator_client):
    _api_client, client_id, secret = coordinator_client
    response = get_token(client, client_id, secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] <= 600


def test_it_refuses_a_wrong_secret(client, coordinator_client):
    _api_client, client_id, _secret = coordinator_client
    assert get_token(client, client_id, "not-the-secret").status_code == 401


def test_it_stores_the_secret_hashed(coordinator_client):
    api_client, _client_id, secret = coordinator_client
    with scopes_disabled():
        stored = api_client.credentials.get().application.client_secret
    assert secret not in stored


def test_it_answers_without_a_token_with_a_problem_in_danish(client, personas):
    response = client.get("/api/v1/programmes")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Et gyldigt bearer-token er nødvendigt"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_answers_in_english_when_asked(client, personas):
    response = client.get("/api/v1/programmes", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.json()["title"] == "A valid bearer token is needed"


def test_it_answers_unknown_paths_and_methods_with_problems(client, coordinator_client):
    headers = bearer(client, *coordinator_client[1:])
    missing = client.get("/api/v1/no-such-thing", **headers)
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    wrong_method = client.delete("/api/v1/programmes", **headers)
    assert wrong_method.status_code == 405
    assert wrong_method["Content-Type"] == "application/problem+json"


def test_it_refuses_a_too_large_body(client, coordinator_client, settings):
    settings.BROBYG_API_MAX_BODY_BYTES = 1024
    headers = bearer(client, *coordinator_client[1:])
    response = client.post(
        "/api/v1/referrals", "x" * 2000, content_type="application/json", **headers
    )
    assert response.status_code == 413
    assert response.json()["type"].endswith("/too-large")


def test_it_limits_each_clients_rate(client, coordinator_client, settings):
    settings.BROBYG_API_RATE_LIMIT = (3, 60)
    headers = bearer(client, *coordinator_client[1:])
    statuses = [client.get("/api/v1/programmes", **headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_it_lists_programmes_of_the_clients_organisation_only(client, personas, coordinator_client):
    headers = bearer(client, *coordinator_client[1:])
    response = client.get("/api/v1/programmes", **headers)
    assert [programme["name"] for programme in response.json()] == [personas.programme_a.name]
    assert response.json()[0]["units"] == [str(personas.unit_a.public_id)]


def test_it_keeps_two_secrets_valid_while_rotating_and_stops_a_retired_one(
    client, personas, coordinator_client
):
    api_client, old_id, old_secret = coordinator_client
    with in_org(personas.org_a):
        new, new_secret = services.api_credential_add(actor=personas.alice, api_client=api_client)
    old_headers = bearer(client, old_id, old_secret)
    new_headers = bearer(client, new.application.client_id, new_secret)
    assert client.get("/api/v1/units", **old_headers).status_code == 200
    assert client.get("/api/v1/units", **new_headers).status_code == 200
    with in_org(personas.org_a):
        old = api_client.credentials.get(application__client_id=old_id)
        services.api_credential_retire(actor=personas.alice, credential=old)
    assert client.get("/api/v1/units", **old_headers).status_code == 401
    assert get_token(client, old_id, old_secret).status_code == 401
    assert client.get("/api/v1/units", **new_headers).status_code == 200


def test_it_stops_a_revoked_client_at_once(client, personas, coordinator_client):
    api_client, client_id, secret = coordinator_client
    headers = bearer(client, client_id, secret)
    with in_org(personas.org_a):
        services.api_client_revoke(actor=personas.alice, api_client=api_client)
    assert client.get("/api/v1/units", **headers).status_code == 401
    assert get_token(client, client_id, secret).status_code == 401


def test_it_stops_an_expired_client(client, coordinator_client):
    headers = bearer(client, *coordinator_client[1:])
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert client.get("/api/v1/units", **headers).status_code == 401


def test_it_logs_a_status_read_with_the_client_as_actor(client, personas, coordinator_client):
    api_client = coordinator_client[0]
    support_request, _token = make_request(personas.programme_a)
    headers = bearer(client, *coordinator_client[1:])
    response = client.get(f"/api/v1/requests/{support_request.public_id}", **headers)
    assert response.status_code == 200
    entry = LogEntry.objects.filter(action="read", object_id=str(support_request.public_id)).get()
    assert entry.api_client == api_client
    assert entry.actor == api_client.account
    assert entry.subject_id == str(support_request.citizen.public_id)


def test_it_serves_the_openapi_document_and_a_page_of_operations(client, personas):
    document = client.get(reverse("api_openapi")).json()
    assert "/api/v1/referrals" in document["paths"]
    page = client.get(reverse("api_docs"))
    assert page.status_code == 200
    assert "POST /api/v1/referrals" in page.content.decode()
    assert "cdn" not in page.content.decode().lower()
