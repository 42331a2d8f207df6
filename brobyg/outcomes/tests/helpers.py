"""Test helpers for outcomes: instruments loaded, packs, citizens who consent, peers."""

from django_scopes import scopes_disabled

from brobyg.outcomes.definitions import parse_definition, raw_total_range, read_yaml
from brobyg.outcomes.loading import instruments_load_shipped, pack_load
from brobyg.outcomes.models import Instrument
from brobyg.people.services import consent_record
from brobyg.test import make_request


def load_instruments() -> dict[str, Instrument]:
    with scopes_disabled():
        return {instrument.code: instrument for instrument, _ in instruments_load_shipped()}


def definition(code: str):
    from brobyg.outcomes.definitions import INSTRUMENT_DIR

    data, _digest = read_yaml(INSTRUMENT_DIR / f"{code}.yaml")
    return parse_definition(data)


def pack_data(code: str, **overrides) -> dict:
    """A complete, valid text pack for a licensed instrument, with invented texts."""
    spec = definition(code)
    data = {
        "instrument": spec.code,
        "version": spec.version,
        "licence": "Testkommune, licence 2026-001",
        "items": {
            item.id: {language: f"{item.id} text ({language})" for language in spec.languages}
            for item in spec.items
        },
        "labels": {
            scale.code: {
                value: {language: f"{value} ({language})" for language in spec.languages}
                for value in scale.values
            }
            for scale in spec.scales.values()
        },
    }
    if spec.scoring.conversion == "pack":
        # An invented, monotonic table (the published one comes with the licence).
        data["conversion_table"] = {
            raw: round(7 + (raw - 7) * 1.0 + 0.5 * (raw not in (7, 35)), 2)
            for raw in raw_total_range(spec)
        }
    data.update(overrides)
    return data


def load_pack(organisation, code: str, **overrides):
    with scopes_disabled():
        return pack_load(organisation=organisation, data=pack_data(code, **overrides))[0]


def consent_to_questionnaires(citizen):
    """The citizen consents to questionnaires, as on the self-referral form."""
    with scopes_disabled():
        consent_record(
            actor=None,
            citizen=citizen,
            purpose="questionnaires",
            given=True,
            method="self_referral",
        )


def consenting_citizen(programme, *, email="mette@example.org", **fields):
    """A citizen (from a self-referral) who consents to questionnaires."""
    support_request, _token = make_request(programme, email=email, **fields)
    consent_to_questionnaires(support_request.citizen)
    return support_request.citizen


def make_peer(organisation, user, programmes=(), status="active"):
    """The user's peer profile in the organisation, made if it does not exist yet (the matching
    app's matrix targets make Bob's)."""
    from brobyg.people.models import Peer

    with scopes_disabled():
        peer, _created = Peer.objects.get_or_create(
            organisation=organisation, user=user, defaults={"kind": "paid", "status": status}
        )
        if peer.status != status:
            peer.status = status
            peer.save(update_fields=["status"])
        peer.programmes.add(*programmes)
        return peer
