"""What the people app holds about a citizen: the record itself and the consent history."""

from django.utils.translation import gettext_lazy as _

from brobyg.people.models import Citizen, Consent
from brobyg.rights.registry import Shredder, citizen_ids, iso

# Kept after erasure, for anonymous counts: gender and municipality (no name, contact, CPR,
# year of birth or free text is left).
ERASED_NAME = "—"


def export(*, citizens) -> dict:
    records = [
        {
            "id": str(citizen.public_id),
            "name": citizen.name,
            "phone": citizen.phone,
            "email": citizen.email,
            "contact_times": citizen.contact_times,
            "birth_year": citizen.birth_year,
            "municipality": citizen.municipality,
            "gender": citizen.gender,
            "languages": list(citizen.languages),
            "services_contact": citizen.services_contact,
            "cpr": citizen.cpr_masked,
            "created_at": iso(citizen.created_at),
            "merged_into": str(citizen.merged_into.public_id) if citizen.merged_into_id else None,
        }
        for citizen in citizens
    ]
    consents = [
        {
            "purpose": consent.purpose,
            "given": consent.given,
            "shared_with": consent.shared_with.name if consent.shared_with_id else None,
            "method": consent.method,
            "recorded_at": iso(consent.recorded_at),
        }
        for consent in Consent.objects.filter(citizen_id__in=citizen_ids(citizens))
        .select_related("shared_with")
        .order_by("recorded_at", "pk")
    ]
    return {"records": records, "consents": consents}


def erase(*, citizens) -> dict:
    ids = citizen_ids(citizens)
    changed = Citizen.objects.filter(pk__in=ids).update(
        name=ERASED_NAME,
        phone="",
        email="",
        contact_times="",
        birth_year=None,
        languages=[],
        services_contact="",
        cpr_encrypted="",
        cpr_digest="",
    )
    return {
        "citizen_records_anonymised": changed,
        "consent_records_kept": Consent.objects.filter(citizen_id__in=ids).count(),
    }


SHREDDER = Shredder(
    name="people",
    label=_("Contact details and consents"),
    models=("people.Citizen", "people.Consent"),
    export=export,
    erase=erase,
    order=90,
)
