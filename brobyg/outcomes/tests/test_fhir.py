"""FHIR export: every instrument as an R4 Questionnaire, each response as a QuestionnaireResponse,
validated with fhir.resources (version 8 has R4B models, which R4 resources conform to; it
has no R4 package)."""

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from brobyg.audit.models import LogEntry
from brobyg.outcomes import fhir, selectors, services, services_answers
from brobyg.outcomes.definitions import shipped_files
from brobyg.outcomes.tests.helpers import consenting_citizen, load_pack
from brobyg.test import in_org

CODES = [path.stem for path in shipped_files()]


@pytest.mark.parametrize("code", CODES)
def test_every_instrument_exports_as_a_valid_questionnaire(instruments, personas, code):
    instrument = instruments[code]
    with in_org(personas.org_a):
        texts = selectors.instrument_texts(instrument, personas.org_a)
    for language in ("da", "en"):
        resource = Questionnaire.model_validate(
            fhir.questionnaire(instrument, texts, language=language)
        )
        assert resource.version == instrument.version
        assert [item.linkId for item in resource.item] == instrument.spec.item_ids
    if not instrument.spec.texts_included:
        assert all(item.text is None for item in resource.item)


def test_a_licensed_instrument_exports_its_texts_only_for_the_licence_holder(
    client, personas, instruments
):
    load_pack(personas.org_a, "qpr-15")
    url = reverse("outcomes_instrument_fhir", args=[instruments["qpr-15"].public_id])
    client.force_login(personas.alice)
    own = client.get(url + "?language=en")
    assert own["Content-Type"].startswith("application/fhir+json")
    resource = Questionnaire.model_validate(json.loads(own.content))
    assert resource.item[0].text == "q1 text (en)"
    client.force_login(personas.carl)
    foreign = Questionnaire.model_validate(json.loads(client.get(url).content))
    assert foreign.item[0].text is None


def test_a_response_exports_as_a_valid_questionnaire_response(client, personas, instruments):
    citizen = consenting_citizen(personas.programme_a)
    with in_org(personas.org_a):
        invitation, _ = services.invitation_create_in_person(
            actor=None, citizen=citizen, instrument=instruments["group-evaluation"],
            timepoint="end",
        ) if False else services.invitation_create_in_person(
            actor=None, citizen=citizen, instrument=instruments["brobyg-chime"],
            timepoint="end",
        )  # fmt: skip
        services_answers.response_save(invitation=invitation, answers={"c1": 3, "c3": 1, "h1": 4})
        response = services_answers.response_complete(invitation=invitation)
    client.force_login(personas.alice)
    exported = client.get(reverse("outcomes_response_fhir", args=[response.public_id]))
    assert exported.status_code == 200
    resource = QuestionnaireResponse.model_validate(json.loads(exported.content))
    assert resource.status == "completed"
    assert resource.questionnaire.endswith("/Questionnaire/brobyg-chime|1.0")
    assert {item.linkId: item.answer[0].valueCoding.code for item in resource.item} == {
        "c1": "3",
        "c3": "1",
        "h1": "4",
    }
    assert resource.subject.identifier.value == str(citizen.public_id)
    assert LogEntry.objects.filter(action="export", object_id=str(response.public_id)).exists()
    client.force_login(personas.carl)
    assert (
        client.get(reverse("outcomes_response_fhir", args=[response.public_id])).status_code == 404
    )


def test_free_text_exports_as_a_string(instruments, personas):
    citizen = consenting_citizen(personas.programme_a)
    instrument = instruments["group-evaluation"]
    with in_org(personas.org_a):
        invitation, _ = services.invitation_create(
            organisation=personas.org_a,
            instrument=instrument,
            anchor_kind="manual",
            anchor_id="group-test",
            timepoint="last_session",
            citizen=citizen,
            send=False,
        )
        services_answers.response_save(
            invitation=invitation, answers={"insight": 4, "own_words": "Jeg fik håb."}
        )
        response = services_answers.response_complete(invitation=invitation)
        texts = selectors.instrument_texts(instrument, personas.org_a)
        data = fhir.questionnaire_response(response, texts, language="da")
    resource = QuestionnaireResponse.model_validate(data)
    assert resource.item[-1].answer[0].valueString == "Jeg fik håb."
