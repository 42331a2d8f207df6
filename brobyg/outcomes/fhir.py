"""FHIR R4 export: an instrument as a Questionnaire, a response as a QuestionnaireResponse.

Plain dictionaries, serialised as JSON by the views; the tests validate them with the
``fhir.resources`` library (its R4B models, which R4 Questionnaires conform to). Licensed texts
are only included for an organisation that loaded them, and only in its own export.
"""

from django.conf import settings
from django.utils import timezone

from brobyg.outcomes.definitions import CHIME_DOMAINS
from brobyg.outcomes.models import RespondentKind

ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def canonical_base() -> str:
    return settings.SITE_URL.rstrip("/") + "/fhir"


def _system(name: str) -> str:
    return f"{canonical_base()}/{name}"


def questionnaire_url(code: str) -> str:
    return f"{canonical_base()}/Questionnaire/{code}"


def _fhir_name(code: str) -> str:
    """A computer-friendly name as FHIR likes it: ``brief-inspire-o`` -> ``BriefInspireO``."""
    name = "".join(part.capitalize() for part in code.replace("_", "-").split("-") if part)
    return name if name[:1].isalpha() else f"Q{name}"


def _subject_type(respondent: str) -> list[str]:
    return (
        ["Patient"] if respondent in (RespondentKind.CITIZEN, "participant") else ["Practitioner"]
    )


def questionnaire(instrument, texts, *, language: str) -> dict:
    spec = instrument.spec
    items = []
    for item in spec.items:
        entry = {"linkId": item.id, "type": "choice" if item.kind == "scale" else "text"}
        text = texts.item_text(item.id, language)
        if text:
            entry["text"] = text
        entry["required"] = False
        if item.domain:
            system = "chime-domain" if item.domain in CHIME_DOMAINS else f"{spec.code}-subscale"
            entry["code"] = [{"system": _system(f"CodeSystem/{system}"), "code": item.domain}]
        extensions = []
        if item.reverse:
            extensions.append(
                {"url": _system("StructureDefinition/reverse-scored"), "valueBoolean": True}
            )
        if not item.scored and item.kind == "scale":
            extensions.append(
                {"url": _system("StructureDefinition/not-scored"), "valueBoolean": True}
            )
        if extensions:
            entry["extension"] = extensions
        if item.kind == "scale":
            options = []
            for value in item.scale.values:
                coding = {
                    "extension": [{"url": ORDINAL_VALUE, "valueDecimal": value}],
                    "system": _system(f"CodeSystem/{spec.code}-{item.scale.code}"),
                    "code": str(value),
                }
                label = texts.label(item.scale.code, value, language)
                if label:
                    coding["display"] = label
                options.append({"valueCoding": coding})
            entry["answerOption"] = options
        items.append(entry)
    resource = {
        "resourceType": "Questionnaire",
        "id": f"{spec.code}-{spec.version}".replace("_", "-")[:64],
        "language": language,
        "url": questionnaire_url(spec.code),
        "version": spec.version,
        "name": _fhir_name(spec.code),
        "title": texts.title_in(language),
        "status": "active" if instrument.is_current else "retired",
        "experimental": not spec.validated,
        "subjectType": _subject_type(spec.respondent),
        "date": instrument.loaded_at.date().isoformat(),
        "publisher": "Brobyg",
        "copyright": spec.licence_note.get(language, "") or spec.licence_note.get("en", ""),
        "item": items,
    }
    intro = texts.intro_in(language)
    if intro:
        resource["description"] = intro
    return resource


def questionnaire_response(response, texts, *, language: str) -> dict:
    spec = response.instrument.spec
    items = []
    for item in spec.items:
        if item.kind == "text":
            value = response.text_answers.get(item.id)
            if value:
                items.append({"linkId": item.id, "answer": [{"valueString": value}]})
            continue
        value = response.answers.get(item.id)
        if value is None:
            continue
        coding = {
            "system": _system(f"CodeSystem/{spec.code}-{item.scale.code}"),
            "code": str(value),
        }
        label = texts.label(item.scale.code, value, language)
        if label:
            coding["display"] = label
        items.append({"linkId": item.id, "answer": [{"valueCoding": coding}]})
    if response.citizen_id:
        subject = {"system": _system("citizen"), "value": str(response.citizen.public_id)}
    elif response.user_id:
        subject = {"system": _system("staff"), "value": str(response.user.public_id)}
    else:
        subject = {
            "system": _system("group-participant"),
            "value": str(response.participant.public_id),
        }
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.public_id),
        "questionnaire": f"{questionnaire_url(spec.code)}|{spec.version}",
        "status": "completed" if response.is_completed else "in-progress",
        "subject": {"identifier": subject},
        "authored": timezone.localtime(response.completed_at or response.started_at).isoformat(),
    }
    if items:
        resource["item"] = items
    scores = [
        {
            "url": _system("StructureDefinition/score"),
            "extension": [
                {"url": "scale", "valueCode": score.scale},
                {"url": "value", "valueDecimal": score.value},
                {"url": "prorated", "valueBoolean": score.prorated},
            ],
        }
        for score in response.scores.all()
        if score.value is not None
    ]
    if scores:
        resource["extension"] = scores
    return resource
