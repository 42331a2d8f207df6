"""A case system refers a citizen and follows the request's status, with the staff referral
form's rules."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.api.tests.helpers import bearer, make_api_client
from brobyg.audit.models import LogEntry
from brobyg.intake import services as intake_services
from brobyg.intake.models import SupportRequest
from brobyg.people.models import Citizen, Consent
from brobyg.test import make_request

pytestmark = pytest.mark.django_db


def referral(personas, **overrides) -> dict:
    data = {
        "programme": str(personas.programme_a.public_id),
        "referring_unit": str(personas.unit_a.public_id),
        "referral_reason": "Borgeren flytter fra bostedet og ønsker følgeskab i overgangen.",
        "consent_method": "in_person",
        "consent_support": True,
        "consent_questionnaires": True,
        "in_crisis": False,
        "name": "Mette Holm",
        "birth_year": 1990,
        "municipality": "København",
        "phone": "20 30 40 50",
        "email": "mette@example.org",
        "languages": ["dansk", "engelsk"],
        "purposes": ["wellbeing"],
        "forms": ["individual"],
        "availability": ["evenings"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def referrer(client, personas):
    api_client, client_id, secret = make_api_client(
        personas.org_a, ["referrer"], actor=personas.alice, name="Nexus"
    )
    return api_client, bearer(client, client_id, secret)


def post(client, headers, data, captured=None):
    if captured is None:
        return client.post("/api/v1/referrals", data, content_type="application/json", **headers)
    with captured(execute=True):
        return client.post("/api/v1/referrals", data, content_type="application/json", **headers)


def test_it_creates_a_referral_as_the_referral_form_does(
    client, personas, referrer, django_capture_on_commit_callbacks
):
    api_client, headers = referrer
    response = post(client, headers, referral(personas), django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    body = response.json()
    with scopes_disabled():
        support_request = SupportRequest.objects.select_related("citizen").get()
        consents = sorted(Consent.objects.values_list("purpose", "method"))
    assert body["id"] == str(support_request.public_id)
    assert body["crisis_guidance"] is None
    assert support_request.source == "staff_referral"
    assert support_request.referred_by == api_client.account
    assert support_request.referring_unit == personas.unit_a
    assert support_request.citizen.languages == ["dansk", "engelsk"]
    assert consents == [("questionnaires", "in_person"), ("support", "in_person")]
    assert [message.to for message in mail.outbox] == [["mette@example.org"]]
    created = LogEntry.objects.filter(action="create", object_type="intake.supportrequest").get()
    assert created.api_client == api_client


def test_it_routes_a_citizen_in_crisis_and_tells_the_coordinators(
    client, personas, referrer, django_capture_on_commit_callbacks
):
    _api_client, headers = referrer
    response = post(
        client,
        headers,
        referral(personas, in_crisis=True, email=""),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 201
    assert response.json()["urgent"] is True
    assert "112" in response.json()["crisis_guidance"]
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_it_flags_a_citizen_below_the_programmes_minimum_age(client, personas, referrer):
    _api_client, headers = referrer
    young = timezone.localdate().year - 15
    response = post(client, headers, referral(personas, birth_year=young))
    assert response.status_code == 201
    assert response.json()["below_minimum_age"] is True


def test_it_flags_a_possible_duplicate(client, personas, referrer):
    make_request(personas.programme_a, phone="20304050")
    _api_client, headers = referrer
    response = post(client, headers, referral(personas, phone="20304050"))
    assert response.json()["possible_duplicate"] is True


def test_it_answers_bad_input_field_by_field_and_saves_nothing(client, personas, referrer):
    _api_client, headers = referrer
    response = post(
        client,
        headers,
        referral(
            personas,
            programme=str(personas.programme_b.public_id),
            consent_support=False,
            phone="",
            email="",
        ),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"programme", "consent_support"} <= fields
    with scopes_disabled():
        assert not SupportRequest.objects.exists()
        assert not Citizen.objects.exists()


def test_it_answers_a_body_that_is_not_json_with_a_problem(client, personas, referrer):
    _api_client, headers = referrer
    response = client.post(
        "/api/v1/referrals", "{not json", content_type="application/json", **headers
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_a_referrer_follows_only_its_own_referrals_page_by_page(client, personas, referrer):
    _api_client, headers = referrer
    for _ in range(3):
        assert post(client, headers, referral(personas)).status_code == 201
    make_request(personas.programme_a)  # a self-referral: not the client's
    first = client.get("/api/v1/requests?limit=2", **headers).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get(f"/api/v1/requests?limit=2&cursor={first['next_cursor']}", **headers)
    assert len(second.json()["items"]) == 1 and second.json()["next_cursor"] is None
    ids = {item["id"] for item in first["items"] + second.json()["items"]}
    with scopes_disabled():
        assert ids == {
            str(public_id)
            for public_id in SupportRequest.objects.filter(source="staff_referral").values_list(
                "public_id", flat=True
            )
        }


def test_it_lists_only_requests_changed_since_a_moment(client, personas):
    _api_client, client_id, secret = make_api_client(
        personas.org_a, ["coordinator"], actor=personas.alice
    )
    headers = bearer(client, client_id, secret)
    start = timezone.now()
    with time_machine.travel(start - timedelta(hours=2), tick=False):
        older, _token = make_request(personas.programme_a)
        newer, _token = make_request(personas.programme_a, phone="30405060")
    with time_machine.travel(start - timedelta(hours=1), tick=False), scopes_disabled():
        intake_services.request_change_status(
            actor=personas.alice, support_request=older, status="screened"
        )
    since = (start - timedelta(hours=1, minutes=30)).isoformat()
    response = client.get("/api/v1/requests", {"changed_since": since}, **headers)
    assert [item["id"] for item in response.json()["items"]] == [str(older.public_id)]
    assert response.json()["items"][0]["status"] == "screened"
    assert str(newer.public_id) not in response.content.decode()


def test_it_refuses_a_cursor_it_did_not_give(client, personas, referrer):
    _api_client, headers = referrer
    response = client.get("/api/v1/requests?cursor=bm9wZQ", **headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
