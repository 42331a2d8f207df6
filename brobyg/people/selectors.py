from django.db.models import Q

from brobyg.people.models import Citizen, Consent


def current_consents(citizen: Citizen) -> dict[tuple[str, int | None], Consent]:
    """The latest record per purpose (and per named organisation for sharing)."""
    latest = {}
    for consent in Consent.objects.filter(citizen=citizen).select_related("shared_with"):
        latest[consent.purpose, consent.shared_with_id] = consent
    return latest


def has_consent(citizen: Citizen, purpose: str, *, shared_with=None) -> bool:
    consent = (
        Consent.objects.filter(
            citizen=citizen,
            purpose=purpose,
            shared_with=shared_with,
        )
        .order_by("-recorded_at", "-pk")
        .first()
    )
    return bool(consent and consent.given)


def consent_history(citizen: Citizen):
    return Consent.objects.filter(citizen=citizen).select_related("recorded_by", "shared_with")


def possible_duplicates(citizen: Citizen):
    """Other citizens of the same organisation with the same phone, e-mail or CPR number."""
    same = Q()
    if citizen.phone:
        same |= Q(phone=citizen.phone)
    if citizen.email:
        same |= Q(email__iexact=citizen.email)
    if citizen.cpr_digest:
        same |= Q(cpr_digest=citizen.cpr_digest)
    if not same:
        return Citizen.objects.none()
    return Citizen.objects.filter(same, organisation=citizen.organisation).exclude(pk=citizen.pk)
