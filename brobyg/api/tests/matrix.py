"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The API's operations (``api_v1_*``) are called by clients holding one role each (coordinator,
manager, referrer, evaluator; "-" for the roles a client cannot hold), with an empty body for a
POST: a client allowed to refer gets 422 (invalid input), any other 403 before the body is read.
The request the detail row points at is a self-referral: a referrer client sees only its own
referrals (404). The OpenAPI document, its page and the token endpoint are public.
"""

import uuid

from django_scopes import scopes_disabled

from brobyg.api import services
from brobyg.api.models import DeliveryStatus, WebhookDelivery
from brobyg.api.tests.helpers import make_api_client

# fmt: off
ROWS = [
    ("api_openapi", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("api_docs", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    # Without client credentials the token endpoint refuses everyone alike.
    ("api_token", "POST", None,
     "own:     400 400 400 400 400 400 400 400",
     "foreign: 400 400 400 400 400 400 400 400",
     400),
    ("api_v1_programme_list", "GET", None,
     "own:     -   200 -   200 200 -   200 -",
     "foreign: -   200 -   200 200 -   200 -",
     401),
    ("api_v1_unit_list", "GET", None,
     "own:     -   200 -   200 200 -   403 -",
     "foreign: -   200 -   200 200 -   403 -",
     401),
    ("api_v1_referral_create", "POST", None,
     "own:     -   422 -   403 422 -   403 -",
     "foreign: -   422 -   403 422 -   403 -",
     401),
    ("api_v1_referral_create_fhir", "POST", None,
     "own:     -   422 -   403 422 -   403 -",
     "foreign: -   422 -   403 422 -   403 -",
     401),
    ("api_v1_request_list", "GET", None,
     "own:     -   200 -   200 200 -   403 -",
     "foreign: -   200 -   200 200 -   403 -",
     401),
    ("api_v1_request_detail", "GET", "request",
     "own:     -   200 -   200 404 -   403 -",
     "foreign: -   404 -   404 404 -   403 -",
     401),
    ("api_v1_course_list", "GET", None,
     "own:     -   200 -   403 403 -   403 -",
     "foreign: -   200 -   403 403 -   403 -",
     401),
    ("api_v1_citizen_consents", "GET", "citizen",
     "own:     -   200 -   200 403 -   403 -",
     "foreign: -   404 -   404 403 -   403 -",
     401),
    ("api_v1_response_list", "GET", None,
     "own:     -   200 -   200 403 -   403 -",
     "foreign: -   200 -   200 403 -   403 -",
     401),
    ("api_v1_response_fhir", "GET", "outcomes_response",
     "own:     -   200 -   200 403 -   403 -",
     "foreign: -   404 -   404 403 -   403 -",
     401),
    ("api_v1_report", "GET", None,
     "own:     -   200 -   200 403 -   200 -",
     "foreign: -   200 -   200 403 -   200 -",
     401),
    # The organisation admin's pages.
    ("api_client_list", "GET", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("api_client_create", "GET", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("api_client_detail", "GET", "api_client",
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("api_client_rotate", "POST", "api_client",
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("api_client_revoke", "POST", "api_client",
     "own:     302 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("api_credential_retire", "POST", "api_credential",
     "own:     302 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    # Webhooks: a client's addresses and delivery log, the admin's only.
    ("api_webhook_create", "GET", "api_client",
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("api_webhook_stop", "POST", "api_webhook",
     "own:     302 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("api_delivery_list", "GET", "api_client",
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("api_delivery_send_again", "POST", "api_delivery",
     "own:     302 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
]
# fmt: on


def make_targets(personas, targets):
    api_client, _client_id, _secret = make_api_client(
        personas.org_a, ["referrer"], actor=personas.alice, name="Nexus (matrix)"
    )
    with scopes_disabled():
        credential = api_client.credentials.get()
        subscription, _secret = services.subscription_create(
            actor=personas.alice,
            api_client=api_client,
            url="https://nexus.example.org/brobyg/events",
            events=["request.status_changed"],
        )
        delivery = WebhookDelivery.objects.create(
            organisation=personas.org_a,
            subscription=subscription,
            event_id=uuid.uuid4(),
            event="request.status_changed",
            payload={"type": "request.status_changed", "data": {}},
            status=DeliveryStatus.FAILED,
            attempts=8,
            last_status_code=500,
            last_error="HTTP 500",
        )
    return {
        "api_client": api_client,
        "api_credential": credential,
        "api_webhook": subscription,
        "api_delivery": delivery,
    }
