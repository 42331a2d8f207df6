from brobyg.people.models import Citizen
from brobyg.rights import registry
from brobyg.rights.models import DataRequest, LegalHold, RequestStatus


def person_records(citizen) -> list[Citizen]:
    """The citizen's record and the duplicates merged into it: one person."""
    merged = Citizen.objects.filter(organisation=citizen.organisation_id, merged_into=citizen)
    return [citizen, *merged.order_by("pk")]


def holds_in_force(records):
    return list(
        LegalHold.objects.filter(
            citizen__in=[record.pk for record in records], lifted_at__isnull=True
        ).select_related("placed_by")
    )


def holds_of(citizen):
    return LegalHold.objects.filter(citizen=citizen).select_related("placed_by", "lifted_by")


def open_requests(organisation):
    return (
        DataRequest.objects.filter(organisation=organisation, status=RequestStatus.OPEN)
        .select_related("citizen")
        .order_by("deadline", "pk")
    )


def answered_requests(organisation, *, limit=50):
    return (
        DataRequest.objects.filter(organisation=organisation)
        .exclude(status=RequestStatus.OPEN)
        .select_related("citizen", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def requests_of(citizen):
    return DataRequest.objects.filter(citizen=citizen).order_by("-received_at", "-pk")


def shredder_summary(records) -> list[dict]:
    """Per shredder: its name, what it covers and whether a hold stops it (for the decision)."""
    held = {}
    for hold in holds_in_force(records):
        held.setdefault(hold.category, []).append(hold)
    return [
        {"name": shredder.name, "label": shredder.label, "holds": held.get(shredder.name, [])}
        for shredder in registry.shredders()
    ]
