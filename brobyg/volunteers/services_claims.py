"""Hours and expenses of volunteer peers: other tasks' hours, expense claims with a receipt
(checked by its content, not its name), the coordinator's approval or return with a note, and
re-submission. The rate per km is the organisation administrator's (the state's rate)."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action_on, save_and_log
from brobyg.orgs.choices import SupportType
from brobyg.volunteers.models import (
    Claim,
    ClaimStatus,
    ExpenseKind,
    HoursEntry,
    MileageRate,
)

RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# What a receipt may be, recognised by its first bytes (never by its name or declared type).
RECEIPT_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
HEIC_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"hevc")


def receipt_type(content: bytes) -> str:
    """The receipt's media type from its content, or "" when it is not an image or a PDF."""
    for signature, media_type in RECEIPT_SIGNATURES:
        if content.startswith(signature):
            return media_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in HEIC_BRANDS:
        return "image/heic"
    return ""


def check_receipt(content: bytes) -> str:
    if len(content) > RECEIPT_MAX_BYTES:
        raise ValidationError(
            {
                "receipt": _("The receipt may be at most %(megabytes)d MB.")
                % {"megabytes": RECEIPT_MAX_BYTES // (1024 * 1024)}
            }
        )
    media_type = receipt_type(content)
    if not media_type:
        raise ValidationError(
            {"receipt": _("The receipt must be a photo (JPEG, PNG, HEIC, WebP) or a PDF.")}
        )
    return media_type


def _check_volunteer(peer) -> None:
    if peer.kind != SupportType.VOLUNTEER:
        raise ValidationError(_("Hours and expenses are recorded for volunteer peers only."))


def rate_on(organisation, day) -> MileageRate | None:
    return (
        MileageRate.objects.filter(organisation=organisation, valid_from__lte=day)
        .order_by("-valid_from", "-pk")
        .first()
    )


@transaction.atomic
def mileage_rate_set(*, actor, organisation, valid_from, rate_per_km) -> MileageRate:
    rate = MileageRate(
        organisation=organisation, valid_from=valid_from, rate_per_km=rate_per_km, set_by=actor
    )
    return save_and_log(
        rate,
        action=Action.CREATE,
        actor=actor,
        details={"rate_per_km": str(rate_per_km), "valid_from": valid_from.isoformat()},
    )


@transaction.atomic
def hours_record(*, actor, peer, day, minutes: int, task: str) -> HoursEntry:
    _check_volunteer(peer)
    if day > timezone.localdate():
        raise ValidationError({"day": _("Record hours for today or earlier.")})
    entry = HoursEntry(
        organisation=peer.organisation, peer=peer, day=day, minutes=minutes, task=task.strip()
    )
    return save_and_log(
        entry, action=Action.CREATE, actor=actor, subject=peer.user, details={"minutes": minutes}
    )


def _fill(claim, *, kind, day, description, km, amount) -> None:
    if day > timezone.localdate():
        raise ValidationError({"day": _("Claim expenses of today or earlier.")})
    claim.kind, claim.day, claim.description = kind, day, description.strip()
    if kind == ExpenseKind.TRANSPORT:
        if not km:
            raise ValidationError({"km": _("Give the number of km.")})
        rate = rate_on(claim.organisation, day)
        if rate is None:
            raise ValidationError(
                {"km": _("The administrator has not set the rate per km for this date yet.")}
            )
        claim.km, claim.rate_per_km = km, rate.rate_per_km
        claim.amount = (km * rate.rate_per_km).quantize(Decimal("0.01"), ROUND_HALF_UP)
    else:
        if not amount:
            raise ValidationError({"amount": _("Give the amount.")})
        claim.km = claim.rate_per_km = None
        claim.amount = amount


@transaction.atomic
def claim_submit(
    *, actor, peer, kind, day, description, km=None, amount=None, receipt: bytes | None
) -> Claim:
    """A volunteer claims an expense. A receipt is needed except for transport by km."""
    _check_volunteer(peer)
    claim = Claim(organisation=peer.organisation, peer=peer, submitted_at=timezone.now())
    _fill(claim, kind=kind, day=day, description=description, km=km, amount=amount)
    if receipt:
        claim.receipt_type = check_receipt(receipt)
        claim.receipt = receipt
    elif kind != ExpenseKind.TRANSPORT:
        raise ValidationError({"receipt": _("Add a photo of the receipt.")})
    return save_and_log(
        claim,
        action=Action.CREATE,
        actor=actor,
        subject=peer.user,
        details={"kind": kind, "amount": str(claim.amount)},
    )


@transaction.atomic
def claim_resubmit(
    *, actor, claim, kind, day, description, km=None, amount=None, receipt: bytes | None
) -> Claim:
    """The volunteer corrects a returned claim and sends it again."""
    claim = Claim.objects.select_for_update().select_related("peer").get(pk=claim.pk)
    if claim.peer.user_id != actor.pk:
        raise ValidationError(_("Only the volunteer can send the claim again."))
    if claim.status != ClaimStatus.RETURNED:
        raise ValidationError(_("Only a returned claim can be sent again."))
    _fill(claim, kind=kind, day=day, description=description, km=km, amount=amount)
    if receipt:
        claim.receipt_type = check_receipt(receipt)
        claim.receipt = receipt
    elif kind != ExpenseKind.TRANSPORT and not claim.has_receipt:
        raise ValidationError({"receipt": _("Add a photo of the receipt.")})
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_at = timezone.now()
    claim.times_submitted += 1
    return save_and_log(
        claim,
        action=Action.UPDATE,
        actor=actor,
        subject=claim.peer.user,
        details={"status": ClaimStatus.SUBMITTED, "times_submitted": claim.times_submitted},
    )


@transaction.atomic
def claim_decide(*, actor, claim, approve: bool, note: str = "") -> Claim:
    """The coordinator approves a claim or returns it with a note saying what to correct."""
    claim = Claim.objects.select_for_update().select_related("peer").get(pk=claim.pk)
    if claim.status != ClaimStatus.SUBMITTED:
        raise ValidationError(_("This claim is not waiting for a decision."))
    if claim.peer.user_id == actor.pk:
        raise ValidationError(_("You cannot approve your own claim."))
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say what the volunteer should correct.")})
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.RETURNED
    claim.return_note = "" if approve else note
    claim.decided_at = timezone.now()
    claim.decided_by = actor
    claim.save(update_fields=["status", "return_note", "decided_at", "decided_by"])
    log_action_on(
        claim,
        action=Action.UPDATE,
        actor=actor,
        subject=claim.peer.user,
        details={"status": claim.status},
    )
    return claim
