"""A case system refers a citizen with a FHIR R4 Bundle: the same rules as the staff referral
form, problems that point at the element, and the citizen followed to a course and back out
through a webhook."""

import json

import pytest
from django_scopes import scopes_disabled

from brobyg.api import services
from brobyg.api.fhir_in import CPR_SYSTEM, PROGRAMME_SYSTEM
from brobyg.api.tests.helpers import bearer, make_api_client
from brobyg.intake import services as intake_services
from brobyg.intake.models import Status, SupportRequest
from brobyg.matching import services as matching_services
from brobyg.people.models import Citizen
from brobyg.test import in_org

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/fhir"


def bundle(personas, *, patient=None, service_request=None, consent=True, kind="transaction"):
    entries = [
        {
            "fullUrl": "urn:uuid:0b7d2f9e-6a53-4c1b-9e51-3f0c2d6a1b11",
            "resource": {
                "resourceType": "Patient",
                "identifier": [{"system": CPR_SYSTEM, "value": "0101901234"}],
                "name": [{"family": "Holm", "given": ["Mette"]}],
                "telecom": [
                    {"system": "phone", "value": "+45 20 30 40 50"},
                    {"system": "email", "value": "mette@example.org"},
                ],
                "birthDate": "1990-01-01",
                "address": [{"city": "København"}],
                **(patient or {}),
            },
            "request": {"method": "POST", "url": "Patient"},
        },
        {
            "resource": {
                "resourceType": "ServiceRequest",
                "status": "active",
                "intent": "order",
                "priority": "routine",
                "subject": {"reference": "urn:uuid:0b7d2f9e-6a53-4c1b-9e51-3f0c2d6a1b11"},
                "performer": [
                    {
                        "identifier": {
                            "system": PROGRAMME_SYSTEM,
                            "value": str(personas.programme_a.public_id),
                        }
                    }
                ],
                "reasonCode": [{"text": "Flytter fra bostedet til egen bolig."}],
                "note": [{"text": "Ønsker følgeskab til aktiviteter i nærområdet."}],
                **(service_request or {}),
            },
            "request": {"method": "POST", "url": "ServiceRequest"},
        },
    ]
    if consent:
        entries.append({"resource": {"resourceType": "Consent", "status": "active", "scope": {}}})
    return {"resourceType": "Bundle", "type": kind, "entry": entries}


@pytest.fixture
def case_system(client, personas):
    api_client, client_id, secret = make_api_client(
        personas.org_a, ["referrer"], actor=personas.ada, name="Nexus"
    )
    return api_client, bearer(client, client_id, secret)


def post(client, headers, data, captured=None):
    def call():
        return client.post(URL, data, content_type="application/fhir+json", **headers)

    if captured is None:
        return call()
    with captured(execute=True):
        return call()


def test_a_bundle_follows_the_citizen_to_a_course_and_back_out_through_a_webhook(
    client, personas, bob_peer, receiver, case_system, django_capture_on_commit_callbacks
):
    api_client, headers = case_system
    with in_org(personas.org_a):
        _subscription, secret = services.subscription_create(
            actor=personas.ada,
            api_client=api_client,
            url=receiver.url,
            events=["request.status_changed", "course.started"],
        )
    receiver.secret = secret

    created = post(client, headers, bundle(personas), django_capture_on_commit_callbacks)
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["status"] == "new" and answer["crisis_guidance"] is None
    with scopes_disabled():
        support_request = SupportRequest.objects.get(public_id=answer["id"])
        citizen = support_request.citizen
        assert citizen.name == "Mette Holm" and citizen.birth_year == 1990
        assert citizen.phone == "+45 20 30 40 50" and citizen.email == "mette@example.org"
        assert citizen.municipality == "København" and citizen.cpr_masked.startswith("010190")
        assert "Flytter fra bostedet" in support_request.referral_reason
        assert "følgeskab" in support_request.referral_reason
        assert support_request.referred_by == api_client.account

        # The coordinator screens, Bob is proposed, both say yes: the course starts.
        with django_capture_on_commit_callbacks(execute=True):
            intake_services.request_change_status(
                actor=personas.alice, support_request=support_request, status=Status.SCREENED
            )
        with django_capture_on_commit_callbacks(execute=True):
            match = matching_services.match_propose(
                actor=personas.alice, support_request=support_request, peer=bob_peer
            )
            matching_services.match_peer_answer(actor=personas.bob, match=match, accept=True)
        with django_capture_on_commit_callbacks(execute=True):
            matching_services.match_citizen_answer(match=match, accept=True, method="personal_link")
        course = support_request.courses.get()

    assert all(item["signed"] for item in receiver.received)
    events = [json.loads(item["body"]) for item in receiver.received]
    assert [event["type"] for event in events] == [
        "request.status_changed",  # screened
        "request.status_changed",  # on the waiting list (proposing a match)
        "request.status_changed",  # matched
        "course.started",
    ]
    started = events[-1]
    assert started["data"] == {
        "course": str(course.public_id),
        "citizen": answer["citizen"],
        "request": answer["id"],
    }
    body = receiver.received[-1]["body"].decode()
    assert "Mette" not in body and "Holm" not in body and "bostedet" not in body

    # The case system fetches the status it may see with the ids.
    status = client.get(f"/api/v1/requests/{started['data']['request']}", **headers)
    assert status.status_code == 200
    assert status.json()["status"] == "matched" and status.json()["later_statuses"]


def test_a_citizen_in_crisis_is_routed_as_from_the_form(client, personas, case_system):
    _api_client, headers = case_system
    response = post(client, headers, bundle(personas, service_request={"priority": "stat"}))
    assert response.status_code == 201
    assert response.json()["urgent"] and "1813" in response.json()["crisis_guidance"]


def test_the_minimum_age_and_duplicates_are_flagged_as_from_the_form(client, personas, case_system):
    _api_client, headers = case_system
    with scopes_disabled():
        personas.programme_a.minimum_age = 18
        personas.programme_a.save()
    young = post(client, headers, bundle(personas, patient={"birthDate": "2020-05-01"}))
    assert young.status_code == 201 and young.json()["below_minimum_age"]
    first = post(client, headers, bundle(personas))
    again = post(client, headers, bundle(personas))
    assert first.status_code == again.status_code == 201
    assert again.json()["possible_duplicate"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "searchset"}, "Bundle.type"),
        ({"patient": {"birthDate": "unknown"}}, "Bundle.entry[0].resource.birthDate"),
        ({"patient": {"name": []}}, "Bundle.entry[0].resource.name"),
        ({"patient": {"address": []}}, "Bundle.entry[0].resource.address"),
        (
            {"service_request": {"reasonCode": [], "note": []}},
            "Bundle.entry[1].resource.reasonCode",
        ),
        ({"service_request": {"performer": []}}, "Bundle.entry[1].resource.performer"),
        ({"consent": False}, "Bundle.entry"),
    ],
)
def test_a_bad_bundle_gets_a_problem_pointing_at_the_element_and_saves_nothing(
    client, personas, case_system, change, field
):
    _api_client, headers = case_system
    response = post(client, headers, bundle(personas, **change))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert field in [error["field"] for error in problem["errors"]], problem
    with scopes_disabled():
        assert not Citizen.objects.exists() and not SupportRequest.objects.exists()


def test_a_bundle_without_a_patient_is_refused(client, personas, case_system):
    _api_client, headers = case_system
    document = bundle(personas)
    document["entry"] = document["entry"][1:]
    problem = post(client, headers, document).json()
    assert problem["status"] == 422
    assert problem["errors"][0]["field"] == "Bundle.entry"
    not_a_bundle = post(client, headers, {"resourceType": "Patient"}).json()
    assert not_a_bundle["errors"][0]["field"] == "Bundle"
