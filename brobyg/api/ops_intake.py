"""Referrals in, request status out: the staff referral form's rules and the waiting list's and
referrer's views, through intake's own form, service and selectors."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Body, Query, Router, Status

from brobyg.api.auth import client_operation
from brobyg.api.fhir_in import PROGRAMME_SYSTEM, Bundle, BundleError
from brobyg.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page, parse_changed_since
from brobyg.api.problems import Problem, form_errors
from brobyg.api.schemas import (
    PROBLEMS,
    ReferralCreated,
    ReferralIn,
    RequestStatusOut,
    RequestStatusPage,
)
from brobyg.audit.services import log_list_read, log_read
from brobyg.intake import extensions, selectors, services
from brobyg.intake.forms_public import NO, YES
from brobyg.intake.forms_referral import ReferralForm
from brobyg.lib.forms import add_service_errors
from brobyg.orgs.permissions import get_for_org_or_404
from brobyg.people.selectors import possible_duplicates

router = Router(tags=["referrals and requests"])

CRISIS_GUIDANCE = gettext_noop(
    "The citizen needs professional help now: 112, in the Capital Region 1813, or the "
    "psychiatric emergency room. The programme's coordinators have been told."
)


def referral_form_data(payload: ReferralIn) -> dict:
    """The referral as the staff referral form's fields, so it is checked by the same form."""
    data = payload.dict()
    data["programme"] = str(payload.programme)
    data["referring_unit"] = str(payload.referring_unit) if payload.referring_unit else ""
    data["in_crisis"] = YES if payload.in_crisis else NO
    data["languages"] = ", ".join(payload.languages)
    data["birth_year"] = str(payload.birth_year)
    return data


def submit_referral(request, data: dict):
    """Check ``data`` with the referral form and submit it: (request, None) or (None, errors)."""
    form = ReferralForm(data, organisation=request.org)
    if form.is_valid():
        try:
            support_request, _token = services.request_submit(
                actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return support_request, None
    return None, form_errors(form)


def referral_created(support_request) -> dict:
    return {
        "id": support_request.public_id,
        "citizen": support_request.citizen.public_id,
        "status": support_request.status,
        "urgent": support_request.urgent,
        "below_minimum_age": support_request.below_minimum_age,
        "possible_duplicate": possible_duplicates(support_request.citizen).exists(),
        "crisis_guidance": _(CRISIS_GUIDANCE) if support_request.in_crisis else None,
    }


@client_operation(
    router.post,
    "/referrals",
    "submit_referral",
    response={201: ReferralCreated, **PROBLEMS},
    url_name="api_v1_referral_create",
)
def referral_create(request, payload: ReferralIn):
    """Refer a citizen, with the staff referral form's rules: a citizen in crisis is routed to
    professional help and the coordinators are told at once, the programme's minimum age is
    checked, possible duplicates are flagged."""
    support_request, errors = submit_referral(request, referral_form_data(payload))
    if errors:
        raise Problem("invalid-input", errors=errors)
    return Status(201, referral_created(support_request))


FHIR_BUNDLE = Body(
    ...,
    description="A FHIR R4 Bundle (type transaction or collection) holding a Patient, a "
    f"ServiceRequest whose performer has an identifier of system {PROGRAMME_SYSTEM} (the "
    "programme's id) and an active Consent.",
)


@client_operation(
    router.post,
    "/referrals/fhir",
    "submit_referral",
    response={201: ReferralCreated, **PROBLEMS},
    url_name="api_v1_referral_create_fhir",
)
def referral_create_fhir(request, bundle: dict = FHIR_BUNDLE):
    """Refer a citizen with a FHIR R4 Bundle from a case system: the Patient (name,
    birthDate, telecom, the CPR identifier urn:oid:1.2.208.176.1.2, address city), the
    ServiceRequest (reasonCode and note as the reason; priority stat: acute crisis) and the
    Consent are read into the staff referral form, whose rules decide as for any referral.
    Each problem names the element it is about (``Bundle.entry[0].resource.birthDate``)."""
    try:
        parsed = Bundle(bundle)
    except BundleError as error:
        raise Problem("invalid-input", errors=error.errors) from None
    support_request, errors = submit_referral(request, parsed.referral_form_data())
    if errors:
        raise Problem("invalid-input", errors=parsed.form_errors(errors))
    return Status(201, referral_created(support_request))


def _status_row(support_request, later) -> dict:
    return {
        "id": support_request.public_id,
        "citizen": support_request.citizen.public_id,
        "programme": support_request.programme.public_id,
        "status": support_request.status,
        "source": support_request.source,
        "urgent": support_request.urgent,
        "received_at": support_request.created_at,
        "status_changed_at": support_request.status_changed_at,
        "first_contact_on": support_request.first_contact_at,
        "later_statuses": [str(label) for label in later.get(support_request.pk, [])],
    }


def _requests(request):
    return selectors.requests_visible_to(request.membership).select_related("programme", "citizen")


@client_operation(
    router.get,
    "/requests",
    "view_waiting_list",
    "view_referral_status",
    response={200: RequestStatusPage, **PROBLEMS},
    url_name="api_v1_request_list",
)
def request_list(
    request,
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    changed_since: str | None = Query(
        None,
        description="Only requests whose status changed at or after this moment (ISO 8601).",
        format="date-time",
    ),
):
    """The status of the requests the client sees (a referrer: the ones it referred), oldest
    change first; ``changed_since`` for synchronising, ``next_cursor`` for the next page."""
    items, next_cursor = page(
        _requests(request),
        field="status_changed_at",
        cursor=cursor,
        limit=limit,
        changed_since=parse_changed_since(changed_since),
    )
    later = extensions.later_statuses(items)
    log_list_read(
        request=request,
        subjects=[support_request.citizen for support_request in items],
        object_type="intake.supportrequest",
        reason=gettext_noop("API: request status list"),
        details={"results": len(items)},
    )
    return {"items": [_status_row(item, later) for item in items], "next_cursor": next_cursor}


@client_operation(
    router.get,
    "/requests/{id}",
    "view_waiting_list",
    "view_referral_status",
    response={200: RequestStatusOut, **PROBLEMS},
    url_name="api_v1_request_detail",
)
def request_detail(request, id: UUID):
    """One request's status."""
    support_request = get_for_org_or_404(request, _requests(request), public_id=id)
    log_read(
        request=request,
        target=support_request,
        subject=support_request.citizen,
        reason=gettext_noop("API: request status"),
    )
    return _status_row(support_request, extensions.later_statuses([support_request]))
