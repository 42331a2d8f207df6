"""Every change to citizens and their consents goes through here."""

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_scopes import scope
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumError

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on, save_and_log
from brobyg.lib import crypto
from brobyg.lib.changes import assign_changes, reject_unknown_fields
from brobyg.people.extensions import merge_steps
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
# What the citizen chooses for themselves (not asked on the request forms): how they are reached.
CITIZEN_CHOICES = ("contact_channel",)


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
    reject_unknown_fields(data, CITIZEN_FIELDS + CITIZEN_CHOICES, "Unknown citizen fields")
    citizen = Citizen(organisation=organisation, **data)
    _set_cpr(citizen, cpr)
    return save_and_log(
        citizen,
        action=Action.CREATE,
        actor=actor,
        subject=citizen,
        details={"fields": sorted(name for name, value in data.items() if value)},
        request=request,
    )


@transaction.atomic
def citizen_update(
    *,
    actor,
    citizen: Citizen,
    data: dict,
    cpr: str | None = None,
    request=None,
    reason: str = "",
    seal_earlier: Callable[[dict], dict] | None = None,
) -> Citizen:
    """``seal_earlier``: given the earlier values of the changed fields (never the CPR number),
    returns what the audit entry keeps of them (a correction keeps them sealed, see
    ``rights.services.citizen_correct``); without it the entry names the fields only."""
    reject_unknown_fields(data, CITIZEN_FIELDS + CITIZEN_CHOICES, "Unknown citizen fields")
    stored = Citizen._base_manager.get(pk=citizen.pk)
    changed = assign_changes(citizen, data)
    if _set_cpr(citizen, cpr):
        changed.append("cpr")
    citizen.full_clean()
    citizen.save()
    details = {"fields": changed}
    if seal_earlier is not None:
        details.update(
            seal_earlier({name: getattr(stored, name) for name in changed if name != "cpr"})
        )
    log_action_on(
        citizen,
        action=Action.UPDATE,
        actor=actor,
        subject=citizen,
        reason=reason,
        details=details,
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


# What citizens_merge moves itself; the rest is moved by the registered steps.
MERGED_HERE = ("people.Consent", "people.Citizen")


@transaction.atomic
def citizens_merge(*, actor, keep: Citizen, duplicate: Citizen, request=None) -> Citizen:
    """Merge two records of the same person: everything about ``duplicate`` moves to ``keep``.

    The consent history and every registered app's rows (requests for support, ...) move; the
    duplicate record itself stays, unchanged but marked ``merged_into``, so nothing is lost.
    Records merged into the duplicate earlier now point to ``keep``.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if keep.organisation_id != duplicate.organisation_id:
        raise ValidationError(_("Only records of the same organisation can be merged."))
    locked = {
        citizen.pk: citizen
        for citizen in Citizen._base_manager.select_for_update()
        .filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }
    if len(locked) != 2 or any(citizen.merged_into_id for citizen in locked.values()):
        raise ValidationError(
            _(
                "One of the records has already been merged into another. Open the record it "
                "was merged into instead."
            )
        )
    if len({citizen.cpr_digest for citizen in locked.values()} - {""}) > 1:
        raise ValidationError(
            _("The two records have different CPR numbers, so they are two different people.")
        )
    moved: dict = {}
    with scope(organisation=keep.organisation_id):
        moved["consents"] = Consent.objects.filter(
            organisation=keep.organisation_id, citizen=duplicate
        ).reassign_for_merge(keep)
        earlier = list(
            Citizen.objects.filter(
                organisation=keep.organisation_id, merged_into=duplicate
            ).values_list("pk", "public_id")
        )
        if earlier:
            Citizen.objects.filter(pk__in=[pk for pk, _public_id in earlier]).update(
                merged_into=keep
            )
            moved["earlier_merges"] = [str(public_id) for _pk, public_id in earlier]
        for name, step in merge_steps().items():
            moved[name] = step(actor=actor, keep=keep, duplicate=duplicate)
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=keep.organisation,
        target=keep,
        subject=keep,
        reason=gettext_noop("merged a duplicate record"),
        details={
            "merge": {"keep": str(keep.public_id), "duplicate": str(duplicate.public_id)},
            "moved": moved,
        },
        request=request,
    )
    return keep
