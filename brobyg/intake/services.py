"""Every change to requests for support goes through here."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on
from brobyg.intake import extensions
from brobyg.intake.models import (
    NEEDS_REASON,
    EventKind,
    RequestEvent,
    Source,
    Status,
    SupportRequest,
)
from brobyg.lib.changes import reject_unknown_fields
from brobyg.lib.links import new_link_token, token_digest
from brobyg.orgs.extensions import announce
from brobyg.people import services as people_services
from brobyg.people.models import ConsentMethod

# How long a citizen's personal link keeps working.
LINK_VALID_DAYS = 365

REQUEST_FIELDS = (
    "purposes",
    "own_words",
    "forms",
    "peer_type",
    "wish_gender",
    "wish_age_band",
    "wish_language",
    "wish_shared_experience",
    "availability",
)


def _run_close_steps(*, actor, support_request, request) -> None:
    if support_request.status in (Status.WITHDRAWN, Status.DECLINED, Status.REFERRED_ELSEWHERE):
        for step in extensions.close_steps():
            step(actor=actor, support_request=support_request, request=request)


def _event(support_request, *, kind, actor=None, from_status="", to_status="", reason=""):
    return RequestEvent.objects.create(
        organisation=support_request.organisation,
        support_request=support_request,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def is_below_minimum_age(programme, birth_year: int | None, *, today=None) -> bool:
    """True when the citizen is certainly younger than the programme's minimum age."""
    if not birth_year:
        return False
    today = today or timezone.localdate()
    oldest_possible_age = today.year - birth_year
    return oldest_possible_age < programme.minimum_age


@transaction.atomic
def request_submit(
    *,
    programme,
    citizen_data: dict,
    request_data: dict,
    consents: list[str],
    in_crisis: bool,
    cpr: str = "",
    actor=None,
    referring_unit=None,
    referral_reason: str = "",
    consent_method: str = ConsentMethod.SELF_REFERRAL,
    imported_received_at=None,
    request=None,
) -> tuple[SupportRequest, str]:
    """Register a citizen's request for support, with the consents they gave.

    ``actor`` is None for a self-referral and the referring member of staff for a referral.
    Returns the request and the secret token of the citizen's personal link (only its digest is
    stored). The receipt e-mail and, for a citizen in crisis, the coordinators' alert are sent
    after the transaction commits.

    ``imported_received_at`` (a datetime) makes it a request brought in from the coordinator's
    own list by ``actor`` (``imports``): received then, not referred by ``actor``, and no receipt
    is sent (the citizen did not just ask).
    """
    imported = imported_received_at is not None
    if not programme.is_active:
        raise ValidationError(_("This programme is not taking requests at the moment."))
    reject_unknown_fields(request_data, REQUEST_FIELDS, "Unknown request fields")
    organisation = programme.organisation
    citizen = people_services.citizen_create(
        actor=actor, organisation=organisation, data=citizen_data, cpr=cpr, request=request
    )
    for purpose in consents:
        people_services.consent_record(
            actor=actor,
            citizen=citizen,
            purpose=purpose,
            given=True,
            method=consent_method,
            request=request,
        )
    token = new_link_token()
    support_request = SupportRequest(
        organisation=organisation,
        programme=programme,
        citizen=citizen,
        source=Source.IMPORTED
        if imported
        else (Source.STAFF_REFERRAL if actor else Source.SELF_REFERRAL),
        referred_by=None if imported else actor,
        referring_unit=referring_unit,
        referral_reason=referral_reason,
        in_crisis=in_crisis,
        urgent=in_crisis,
        below_minimum_age=is_below_minimum_age(programme, citizen_data.get("birth_year")),
        token_digest=token_digest(token),
        link_expires_at=timezone.now() + timedelta(days=LINK_VALID_DAYS),
        **request_data,
    )
    support_request.full_clean()
    support_request.save()
    if imported:
        SupportRequest.objects.filter(pk=support_request.pk).update(
            created_at=imported_received_at, status_changed_at=imported_received_at
        )
        support_request.created_at = support_request.status_changed_at = imported_received_at
    _event(support_request, kind=EventKind.SUBMITTED, actor=actor, to_status=Status.NEW)
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=support_request,
        subject=citizen,
        details={
            "source": support_request.source,
            "urgent": support_request.urgent,
            "below_minimum_age": support_request.below_minimum_age,
        },
        request=request,
    )
    from brobyg.intake import notifications, tasks

    if imported:
        return support_request, token
    # Sent directly rather than queued, so that the link's secret is never stored anywhere.
    # robust: a failing mail server must not turn a saved request (perhaps from a citizen in
    # crisis, who must see the emergency page next) into an error page.
    transaction.on_commit(
        lambda: notifications.send_receipt(support_request=support_request, token=token),
        robust=True,
    )
    if support_request.urgent:
        transaction.on_commit(
            lambda: tasks.alert_coordinators.enqueue(support_request_id=support_request.pk),
            robust=True,
        )
    return support_request, token


def _announce_status(support_request) -> None:
    announce(
        "request.status_changed",
        support_request,
        organisation=support_request.organisation,
        ids={"request": support_request.public_id, "citizen": support_request.citizen.public_id},
    )


@transaction.atomic
def request_change_status(
    *, actor, support_request: SupportRequest, status: str, reason: str = "", request=None
) -> SupportRequest:
    previous = support_request.status
    if status not in support_request.allowed_next_statuses:
        raise ValidationError(
            {"status": _("A request cannot go from this status to the chosen one.")}
        )
    if status in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Write the reason, so the citizen can be told.")})
    if (
        status == Status.WAITING
        and support_request.below_minimum_age
        and not support_request.age_override_reason
    ):
        raise ValidationError(
            {
                "status": _(
                    "The citizen is younger than the programme's minimum age. Override the age "
                    "limit with a written reason first."
                )
            }
        )
    support_request.status = status
    support_request.status_reason = reason.strip()
    support_request.status_changed_at = timezone.now()
    support_request.full_clean()
    support_request.save()
    _event(
        support_request,
        kind=EventKind.STATUS_CHANGED,
        actor=actor,
        from_status=previous,
        to_status=status,
        reason=reason.strip(),
    )
    _announce_status(support_request)
    log_action_on(
        support_request,
        action=Action.UPDATE,
        actor=actor,
        subject=support_request.citizen,
        details={"status": {"before": previous, "after": status}},
        request=request,
    )
    _run_close_steps(actor=actor, support_request=support_request, request=request)
    return support_request


@transaction.atomic
def request_override_minimum_age(
    *, actor, support_request: SupportRequest, reason: str, request=None
) -> SupportRequest:
    if not support_request.below_minimum_age:
        raise ValidationError(_("The citizen is not below the programme's minimum age."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the age limit is set aside.")})
    support_request.age_override_reason = reason.strip()
    support_request.save(update_fields=["age_override_reason"])
    _event(support_request, kind=EventKind.AGE_OVERRIDE, actor=actor, reason=reason.strip())
    log_action_on(
        support_request,
        action=Action.UPDATE,
        actor=actor,
        subject=support_request.citizen,
        details={"fields": ["age_override_reason"]},
        request=request,
    )
    return support_request


@transaction.atomic
def request_record_first_contact(
    *, actor, support_request: SupportRequest, date, method: str, request=None
) -> SupportRequest:
    if date > timezone.localdate():
        raise ValidationError({"date": _("The first contact cannot be in the future.")})
    if date < timezone.localtime(support_request.created_at).date():
        raise ValidationError({"date": _("The first contact cannot be before the request.")})
    support_request.first_contact_at = date
    support_request.first_contact_by = actor
    support_request.first_contact_method = method
    support_request.full_clean()
    support_request.save()
    _event(support_request, kind=EventKind.FIRST_CONTACT, actor=actor)
    log_action_on(
        support_request,
        action=Action.UPDATE,
        actor=actor,
        subject=support_request.citizen,
        details={"fields": ["first_contact_at", "first_contact_by", "first_contact_method"]},
        request=request,
    )
    return support_request


@transaction.atomic
def request_withdraw_by_citizen(*, support_request: SupportRequest, request=None):
    """The citizen withdraws through their personal link; effective at once."""
    if not support_request.is_open:
        raise ValidationError(_("This request is already closed."))
    previous = support_request.status
    support_request.status = Status.WITHDRAWN
    support_request.status_reason = ""
    support_request.status_changed_at = timezone.now()
    support_request.save(update_fields=["status", "status_reason", "status_changed_at"])
    _event(
        support_request,
        kind=EventKind.STATUS_CHANGED,
        from_status=previous,
        to_status=Status.WITHDRAWN,
    )
    _announce_status(support_request)
    log_action_on(
        support_request,
        action=Action.UPDATE,
        subject=support_request.citizen,
        reason=gettext_noop("withdrawn by the citizen through the personal link"),
        details={"status": {"before": previous, "after": Status.WITHDRAWN}},
        request=request,
    )
    _run_close_steps(actor=None, support_request=support_request, request=request)
    return support_request


@transaction.atomic
def citizen_update_contact_by_link(*, support_request: SupportRequest, data: dict, request=None):
    """The citizen corrects their own contact details through their personal link, and chooses
    how they are reached when they gave both an e-mail address and a mobile number."""
    allowed = {"name", "phone", "email", "contact_times", "contact_channel"}
    if set(data) - allowed:
        raise ValueError("Only contact details can be changed through the personal link.")
    citizen = people_services.citizen_update(
        actor=None, citizen=support_request.citizen, data=data, request=request
    )
    _event(support_request, kind=EventKind.CONTACT_UPDATED)
    return citizen


def requests_move_for_merge(*, actor, keep, duplicate) -> list[str]:
    """The intake step of ``people.services.citizens_merge``: the duplicate's requests for support
    move to the kept citizen, each with a ``merged`` event in its history.

    Their personal links stop working: a link shows and edits its citizen's contact details, and
    after a merge those are the kept record's, which the link's holder may not be (a shared family
    phone is a common reason for a wrong merge). The kept record's own links keep working.
    """
    moved = list(
        SupportRequest.objects.filter(organisation=keep.organisation_id, citizen=duplicate)
    )
    now = timezone.now()
    for support_request in moved:
        support_request.citizen = keep
        support_request.link_expires_at = min(support_request.link_expires_at, now)
        support_request.save(update_fields=["citizen", "link_expires_at"])
        RequestEvent.objects.create(
            organisation_id=support_request.organisation_id,
            support_request=support_request,
            kind=EventKind.MERGED,
            actor=actor,
        )
    return [str(support_request.public_id) for support_request in moved]
