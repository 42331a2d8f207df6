"""Every change to citizens and their consents goes through here."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumError

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.lib import crypto
from brobyg.people.models import Citizen, Consent

CITIZEN_FIELDS = (
    "name",
    "phone",
    "email",
    "contact_times",
    "birth_year",
    "municipality",
    "gender",
    "languages",
    "services_contact",
)


def normalise_cpr(value: str) -> str:
    """``0101901234`` or ``010190-1234`` to ``0101901234``; raises ValidationError if invalid."""
    digits = re.sub(r"[\s-]", "", value or "")
    try:
        return stdnum_cpr.validate(digits)
    except StdnumError:
        raise ValidationError(
            {"cpr": _("This is not a valid CPR number. Write it as DDMMYY-XXXX.")}
        ) from None


def _set_cpr(citizen: Citizen, cpr: str | None) -> bool:
    """Store ``cpr`` encrypted; ``None`` keeps the stored one, ``""`` removes it."""
    if cpr is None:
        return False
    normalised = normalise_cpr(cpr) if cpr.strip() else ""
    if crypto.digest(normalised) == citizen.cpr_digest:
        return False
    citizen.cpr_encrypted = crypto.encrypt(normalised)
    citizen.cpr_digest = crypto.digest(normalised)
    return True


@transaction.atomic
def citizen_create(*, actor, organisation, data: dict, cpr: str = "", request=None) -> Citizen:
    """Create a citizen. ``actor`` is None when the citizen registers themself."""
    unknown = set(data) - set(CITIZEN_FIELDS)
    if unknown:
        raise ValueError(f"Unknown citizen fields: {sorted(unknown)}")
    citizen = Citizen(organisation=organisation, **data)
    _set_cpr(citizen, cpr)
    citizen.full_clean()
    citizen.save()
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=citizen,
        subject=citizen,
        details={"fields": sorted(name for name, value in data.items() if value)},
        request=request,
    )
    return citizen


@transaction.atomic
def citizen_update(
    *, actor, citizen: Citizen, data: dict, cpr: str | None = None, request=None
) -> Citizen:
    unknown = set(data) - set(CITIZEN_FIELDS)
    if unknown:
        raise ValueError(f"Unknown citizen fields: {sorted(unknown)}")
    stored = Citizen._base_manager.get(pk=citizen.pk)
    changed = sorted(name for name, value in data.items() if getattr(stored, name) != value)
    for name, value in data.items():
        setattr(citizen, name, value)
    if _set_cpr(citizen, cpr):
        changed.append("cpr")
    citizen.full_clean()
    citizen.save()
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=citizen.organisation,
        target=citizen,
        subject=citizen,
        details={"fields": changed},
        request=request,
    )
    return citizen


@transaction.atomic
def consent_record(
    *,
    actor,
    citizen: Citizen,
    purpose: str,
    given: bool,
    method: str,
    shared_with=None,
    request=None,
) -> Consent:
    """Record that the citizen gave or withdrew consent for ``purpose``; effective at once."""
    consent = Consent(
        organisation=citizen.organisation,
        citizen=citizen,
        purpose=purpose,
        shared_with=shared_with,
        given=given,
        method=method,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    details = {"purpose": purpose, "given": given, "method": method}
    if shared_with is not None:
        details["shared_with"] = str(shared_with.public_id)
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=citizen.organisation,
        target=consent,
        subject=citizen,
        details=details,
        request=request,
    )
    return consent
