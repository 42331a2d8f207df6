import json
from datetime import timedelta

from cryptography.fernet import Fernet
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.lib import crypto
from brobyg.orgs.models import Membership
from brobyg.people.models import Citizen
from brobyg.rights import registry
from brobyg.rights.models import (
    DataRequest,
    LegalHold,
    RequestStatus,
    RetentionSetting,
    SubjectKey,
)


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


def access_log_about(records) -> list[dict]:
    """When and why the person's data was read, searched, changed or exported, by which
    organisation and role; the staff member's name only where that organisation has chosen to
    show it (``Organisation.show_staff_names_to_citizens``)."""
    ids = [str(record.public_id) for record in records]
    entries = list(
        LogEntry.objects.filter(subject_type="citizen", subject_id__in=ids)
        .select_related("organisation", "actor")
        .order_by("created_at", "pk")
    )
    pairs = {(e.actor_id, e.organisation_id) for e in entries if e.actor_id}
    with scopes_disabled():
        memberships = Membership.objects.filter(
            user_id__in={actor for actor, _org in pairs},
            organisation_id__in={org for _actor, org in pairs},
        ).values_list("user_id", "organisation_id", "roles")
    roles = {(user, org): list(role_list) for user, org, role_list in memberships}
    return [
        {
            "at": entry.created_at.isoformat(),
            "action": entry.action,
            "organisation": entry.organisation.name if entry.organisation_id else None,
            "roles": roles.get((entry.actor_id, entry.organisation_id), [])
            if entry.actor_id
            else ["citizen"],
            "reason": entry.reason,
            "staff_member": _staff_name(entry),
        }
        for entry in entries
    ]


def _staff_name(entry) -> str | None:
    if not entry.actor_id or not entry.organisation_id:
        return None
    if not entry.organisation.show_staff_names_to_citizens:
        return None
    return entry.actor.full_name or None


def citizen_export(citizen) -> dict:
    """Everything Brobyg holds about the person in ``citizen``'s organisation, in the published
    format (``rights.export_format``). The privacy officer's answer to an access request and the
    citizen's own download are both made here."""
    from brobyg.rights.export_format import validate

    records = person_records(citizen)
    parts = {}
    for shredder in registry.shredders():
        if shredder.name == "people":
            continue
        part = shredder.export(citizens=records)
        if part:
            parts[shredder.name] = part
    return validate(
        {
            "format": "brobyg-citizen-export",
            "version": 1,
            "generated_at": timezone.now().isoformat(),
            "organisation": {
                "id": str(citizen.organisation.public_id),
                "name": citizen.organisation.name,
            },
            "person": registry.shredder("people").export(citizens=records),
            "parts": parts,
            "access_log": access_log_about(records),
        }
    )


def unseal_earlier(citizen, entry) -> dict | None:
    """The earlier values a correction sealed into ``entry``; None once the key is gone."""
    token = entry.details.get("earlier_sealed")
    key = SubjectKey.objects.filter(citizen=citizen).first()
    if not token or key is None:
        return None
    return json.loads(Fernet(crypto.decrypt(key.key_encrypted).encode()).decrypt(token.encode()))


def retention_periods(organisation) -> dict[str, int]:
    """Each category's period in days for the organisation: its own choice, else the default."""
    from brobyg.rights import retention

    chosen = dict(
        RetentionSetting.objects.filter(organisation=organisation).values_list("category", "days")
    )
    return {
        rule.name: chosen.get(rule.name, rule.days)
        for rule in retention.categories()
        if rule.has_period
    }


def retention_preview(organisation, *, today=None) -> list[dict]:
    """The dry run: per category, its period and how many items the next run would erase or
    anonymise, and how many a legal hold keeps. Counts only, never the items."""
    from django_scopes import scope

    from brobyg.rights import retention

    today = today or timezone.localdate()
    rows = []
    with scope(organisation=organisation.pk):
        periods = retention_periods(organisation)
        chosen = set(
            RetentionSetting.objects.filter(organisation=organisation).values_list(
                "category", flat=True
            )
        )
        for rule in retention.categories():
            row = {"rule": rule, "days": periods.get(rule.name), "own": rule.name in chosen}
            if rule.has_period:
                cutoff = today - timedelta(days=periods[rule.name])
                row["before"] = cutoff
                row["due"] = retention.count(rule.due(organisation, cutoff))
                row["held"] = retention.count(rule.held(organisation, cutoff))
            rows.append(row)
    return rows


def retention_runs(organisation, *, limit=5) -> list[dict]:
    """The last runs of the retention job for the organisation, from the audit log: when, and
    how many items each category erased or anonymised."""
    from brobyg.rights import retention

    labels = {rule.name: rule.label for rule in retention.categories()}
    entries = LogEntry.objects.filter(
        organisation=organisation, object_type="rights.retention"
    ).order_by("-created_at", "-pk")[:limit]
    return [
        {
            "at": entry.created_at,
            "counts": [
                (labels.get(name, name), done.get("removed", 0))
                for name, done in entry.details.get("categories", {}).items()
            ],
        }
        for entry in entries
    ]
