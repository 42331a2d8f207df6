"""Sections other apps add to peer care, through a registry (outcomes adds the check-ins).

Apps downstream of peercare (outcomes) cannot be imported here; they register from their
``AppConfig.ready()``::

    register_peer_care_section(
        name="checkins",
        peer_template="outcomes/staff/_peercare_checkins.html",
        peer_build=build,      # (request, peer) -> dict: the peer's own section (only the peer)
        flags=flags,           # (organisation, peer_ids) -> {peer id: [label, ...]}
    )

``flags`` is what a coordinator or supervisor sees in peer care: short labels saying that
something needs attention ("asked for a talk"), never the content behind them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeerCareSection:
    name: str
    peer_template: str
    peer_build: Callable[..., dict]
    flags: Callable[..., dict] | None = None


_SECTIONS: dict[str, PeerCareSection] = {}


def register_peer_care_section(*, name, peer_template, peer_build, flags=None) -> None:
    _SECTIONS[name] = PeerCareSection(name, peer_template, peer_build, flags)


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
    """``{peer id: [label, ...]}`` from every registered section."""
    flags: dict[int, list[str]] = {}
    for section in _SECTIONS.values():
        if section.flags is None:
            continue
        for peer_id, labels in (section.flags(organisation, list(peer_ids)) or {}).items():
            flags.setdefault(peer_id, []).extend(str(label) for label in labels)
    return flags
