"""The hooks peercare offers other apps (peercare sits beside support and groups and before
outcomes in the import direction, so it never imports them); each registers from its
``AppConfig.ready()``.

A load source::

    register_load_source("courses", _("Active courses"), provider, counts_against_capacity=True)

``provider(organisation, peer_ids, month_start, month_end)`` returns ``{peer id: value}`` for
the given peers (missing peers count as 0). ``month_start`` and ``month_end`` are the first and
last day of the month shown; a figure that is "now" (active courses) may ignore them. Figures
that count against capacity are added up and compared with the peer's capacity.

A peer-care section (outcomes adds the check-ins)::

    register_peer_care_section(
        name="checkins",
        peer_template="outcomes/staff/_peercare_checkins.html",
        peer_build=build,      # (request, peer) -> dict: the peer's own section (only the peer)
        flags=flags,           # (organisation, peer_ids) -> {peer id: [label, ...]}
        flagged=flagged,       # (organisation) -> a condition on Peer (Q or Exists)
    )

``flags`` is what a coordinator or supervisor sees in peer care: short labels saying that
something needs attention ("asked for a talk"), never the content behind them. ``flagged`` says
in the database which peers ``flags`` would give a label, so "Needs attention" finds them in
one query among every peer and asks ``flags`` only for the peers it shows; a section with
``flags`` must give ``flagged``. ``flagged``'s SQL must follow from the organisation alone (no
rows read, no clock asked while it is built): the query it joins is compiled once per
organisation, day and time zone (``selectors.flagged_peer_ids``, ``lib.compiled``).

A break step (conversations pauses the peer's conversations, the coordinator answering)::

    register_break_step("conversations", step)

``step(*, actor, peer, on_break, request)`` runs inside the transaction that starts
(``on_break=True``, the peer's status already paused) or ends (``on_break=False``, the peer's
status already back) a peer's break, so both commit or neither; it returns a dict of counts.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeerCareSection:
    name: str
    peer_template: str
    peer_build: Callable[..., dict]
    flags: Callable[..., dict] | None = None
    flagged: Callable[..., object] | None = None


_SECTIONS: dict[str, PeerCareSection] = {}


def register_peer_care_section(
    *, name, peer_template, peer_build, flags=None, flagged=None
) -> None:
    if (flags is None) != (flagged is None):
        raise ValueError("A peer-care section gives both flags= and flagged=, or neither.")
    _SECTIONS[name] = PeerCareSection(name, peer_template, peer_build, flags, flagged)


def section_flagged(organisation) -> list:
    """The sections' conditions on Peer: the peers some section would flag."""
    return [
        section.flagged(organisation)
        for section in _SECTIONS.values()
        if section.flagged is not None
    ]


def flagging_sections() -> tuple:
    """The registered sections that flag peers: with the organisation and the day, what
    ``section_flagged``'s conditions are built from (the key of their compiled query)."""
    return tuple(section for section in _SECTIONS.values() if section.flagged is not None)


def own_sections(request, peer) -> list[dict]:
    """The registered sections of the peer's own page."""
    return [
        {
            "name": section.name,
            "template": section.peer_template,
            **section.peer_build(request, peer),
        }
        for section in _SECTIONS.values()
    ]


def section_flags(organisation, peer_ids) -> dict[int, list[str]]:
    """``{peer id: [label, ...]}`` from every registered section. ``peer_ids`` may be a list
    or a queryset of ids (the sections then filter in the database, never loading every id)."""
    flags: dict[int, list[str]] = {}
    for section in _SECTIONS.values():
        if section.flags is None:
            continue
        for peer_id, labels in (section.flags(organisation, peer_ids) or {}).items():
            flags.setdefault(peer_id, []).extend(str(label) for label in labels)
    return flags


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


_BREAK_STEPS: dict[str, Callable[..., dict]] = {}


def register_break_step(name: str, step: Callable[..., dict]) -> None:
    _BREAK_STEPS[name] = step


def run_break_steps(*, actor, peer, on_break: bool, request=None) -> dict[str, dict]:
    """Every registered break step, in the caller's transaction."""
    return {
        name: step(actor=actor, peer=peer, on_break=on_break, request=request)
        for name, step in _BREAK_STEPS.items()
    }
