"""The registry of per-app shredders: what each app holds about a citizen, how it is exported for
an access request and how it is erased.

Imports point orgs ← people ← intake ← ... ← reports, and every app may use ``rights``; so the
rights app imports none of them. Each app declares its ``Shredder`` in its own ``shredders.py``
and registers it from its ``AppConfig.ready()``. ``rights.services.citizen_erase`` runs every
registered shredder for one person inside one transaction, and ``rights.selectors.citizen_export``
asks every shredder what it holds; a test checks that every model with a relation to a citizen
is declared by a shredder.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Shredder:
    """What one app holds about a citizen.

    ``models``: labels (``"intake.SupportRequest"``) of the models it covers, each either erased
    or kept without anything identifying once the citizen record itself is anonymised.
    ``export(citizens)`` returns JSON-ready data about the given records (one person: the record
    and any records merged into it); ``erase(citizens)`` removes or anonymises it, keeping rows
    that statistics count, and returns counts of what it changed (numbers only, never content).
    ``order``: shredders run from low to high (the citizen record itself last).
    """

    name: str
    label: str
    models: tuple[str, ...]
    export: Callable[..., dict]
    erase: Callable[..., dict]
    order: int = 50


_SHREDDERS: dict[str, Shredder] = {}


def register_shredder(shredder: Shredder) -> None:
    _SHREDDERS[shredder.name] = shredder


def unregister_shredder(name: str) -> None:
    """For tests that register a shredder of their own."""
    _SHREDDERS.pop(name, None)


def shredders() -> list[Shredder]:
    return sorted(_SHREDDERS.values(), key=lambda shredder: (shredder.order, shredder.name))


def shredder(name: str) -> Shredder:
    return _SHREDDERS[name]


def covered_models() -> set[str]:
    return {label for shredder in _SHREDDERS.values() for label in shredder.models}


def iso(value) -> str | None:
    """A date or time as ISO 8601 text for an export (None stays None)."""
    return value.isoformat() if value is not None else None


def citizen_ids(citizens) -> list[int]:
    return [citizen.pk for citizen in citizens]
