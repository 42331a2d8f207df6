"""Load per peer: figures from the apps that know them, through a small registry.

Peercare sits beside support and groups in the import direction, so it never imports them;
each app that knows a figure registers a provider from its ``AppConfig.ready()``::

    register_load_source("courses", _("Active courses"), provider, counts_against_capacity=True)

``provider(organisation, peer_ids, month_start, month_end)`` returns ``{peer id: value}`` for
the given peers (missing peers count as 0). ``month_start`` and ``month_end`` are the first and
last day of the month shown; a figure that is "now" (active courses) may ignore them. Figures
that count against capacity are added up and compared with the peer's capacity.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LoadSource:
    key: str
    label: str
    provider: Callable[..., dict]
    counts_against_capacity: bool = False


_SOURCES: dict[str, LoadSource] = {}


def register_load_source(key: str, label, provider, *, counts_against_capacity=False) -> None:
    _SOURCES[key] = LoadSource(key, label, provider, counts_against_capacity)


def unregister_load_source(key: str) -> None:
    _SOURCES.pop(key, None)


def load_sources() -> list[LoadSource]:
    return list(_SOURCES.values())


def load_figures(organisation, peer_ids: list[int], month_start: date, month_end: date) -> dict:
    """``{source key: {peer id: value}}`` for every registered source."""
    return {
        source.key: source.provider(organisation, list(peer_ids), month_start, month_end) or {}
        for source in _SOURCES.values()
    }


def pending_proposals(organisation, peer_ids, month_start, month_end) -> dict[int, int]:
    """Matching's figure: proposals waiting for an answer, each holding one of the places."""
    from brobyg.matching.selectors import pending_counts

    return pending_counts(peer_ids)
