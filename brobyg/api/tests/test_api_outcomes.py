"""A client reads citizens' questionnaire scores, and a response as FHIR R4."""

import pytest

from brobyg.api.tests.helpers import bearer, make_api_client
from brobyg.audit.models import LogEntry
from brobyg.outcomes import services, services_answers
from brobyg.outcomes.tests.helpers import consenting_citizen, load_instruments
from brobyg.test import in_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(personas):
    instruments = load_instruments()
    citizen = consenting_citizen(personas.programme_a)
    with in_org(personas.org_a):
        invitation, _token = services.invitation_create_in_person(
            actor=personas.alice, citizen=citizen, instrument=instruments["who-5"], timepoint="end"
        )
        services_answers.response_save(invitation=invitation, answers={"w1": 3})
        return services_answers.response_complete(invitation=invitation)


@pytest.fixture
def headers(client, personas):
    _api_client, client_id, secret = make_api_client(
        personas.org_a, ["manager"], actor=personas.alice
    )
    return bearer(client, client_id, secret)


def test_it_lists_responses_with_their_scores(client, response, headers):
    body = client.get("/api/v1/responses", **headers).json()
    [item] = body["items"]
    assert item["id"] == str(response.public_id) and item["instrument"] == "who-5"
    assert item["scores"] and item["scores"][0]["answered"] == 1
    assert LogEntry.objects.filter(
        object_type="outcomes.response", subject_id=str(response.citizen.public_id)
    ).exists()


def test_it_gives_a_response_as_a_fhir_questionnaire_response(client, response, headers):
    answer = client.get(f"/api/v1/responses/{response.public_id}/fhir", **headers)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/fhir+json"
    document = answer.json()
    assert document["resourceType"] == "QuestionnaireResponse"
    assert document["status"] == "completed"
    assert LogEntry.objects.filter(action="export", object_id=str(response.public_id)).exists()
