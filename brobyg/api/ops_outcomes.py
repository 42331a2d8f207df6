"""Citizens' completed questionnaire responses and scores, as JSON and as FHIR R4
QuestionnaireResponse (``outcomes.fhir``), through ``responses_visible_to``."""

from uuid import UUID

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext_noop
from ninja import Query, Router

from brobyg.api.auth import client_operation
from brobyg.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page, parse_changed_since
from brobyg.api.schemas import PROBLEMS, ResponsePage
from brobyg.audit.models import Action
from brobyg.audit.services import log_list_read, log_request
from brobyg.orgs.permissions import get_for_org_or_404
from brobyg.outcomes import fhir
from brobyg.outcomes import selectors as outcome_selectors
from brobyg.outcomes.models import RespondentKind

router = Router(tags=["questionnaires"])


def _responses(request):
    return (
        outcome_selectors.responses_visible_to(request.membership)
        .filter(respondent_kind=RespondentKind.CITIZEN)
        .select_related("programme")
        .prefetch_related("scores")
    )


@client_operation(
    router.get,
    "/responses",
    "view_outcomes",
    response={200: ResponsePage, **PROBLEMS},
    url_name="api_v1_response_list",
)
def response_list(
    request,
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    changed_since: str | None = Query(
        None,
        description="Only responses completed at or after this moment (ISO 8601).",
        format="date-time",
    ),
):
    """Citizens' completed questionnaire responses with their scores, in the order they were
    completed; ``changed_since`` and ``next_cursor`` for synchronising."""
    items, next_cursor = page(
        _responses(request),
        field="completed_at",
        cursor=cursor,
        limit=limit,
        changed_since=parse_changed_since(changed_since),
    )
    log_list_read(
        request=request,
        subjects=[response.citizen for response in items],
        object_type="outcomes.response",
        reason=gettext_noop("API: questionnaire responses"),
        details={"results": len(items)},
    )
    return {
        "items": [
            {
                "id": response.public_id,
                "citizen": response.citizen.public_id,
                "programme": response.programme.public_id if response.programme else None,
                "instrument": response.instrument.code,
                "instrument_version": response.instrument.version,
                "timepoint": response.timepoint,
                "answered_on": response.answered_on,
                "completed_at": response.completed_at,
                "scores": [
                    {
                        "scale": score.scale,
                        "value": score.value,
                        "answered": score.answered,
                        "missing": score.missing,
                        "prorated": score.prorated,
                    }
                    for score in response.scores.all()
                ],
            }
            for response in items
        ],
        "next_cursor": next_cursor,
    }


@client_operation(
    router.get,
    "/responses/{id}/fhir",
    "view_outcomes",
    response={200: dict, **PROBLEMS},
    url_name="api_v1_response_fhir",
    openapi_extra={
        "responses": {
            200: {
                "description": "A FHIR R4 QuestionnaireResponse",
                "content": {"application/fhir+json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def response_fhir(request, id: UUID):
    """One response as a FHIR R4 QuestionnaireResponse (``application/fhir+json``), as the
    outcome pages export it."""
    response = get_for_org_or_404(request, _responses(request), public_id=id)
    texts = outcome_selectors.instrument_texts(response.instrument, request.org)
    log_request(
        request,
        action=Action.EXPORT,
        target=response,
        subject=response.citizen,
        reason=gettext_noop("API: FHIR QuestionnaireResponse"),
    )
    document = fhir.questionnaire_response(
        response, texts, language=texts.language(translation.get_language())
    )
    return JsonResponse(
        document, content_type="application/fhir+json", json_dumps_params={"ensure_ascii": False}
    )
