"""The hooks matching offers later apps (imports point matching ← support, so matching never
imports them); each registers from its ``AppConfig.ready()``.

- An activation step: ``register_activation_step(name, step)``; when a citizen accepts a match,
  ``step(actor=, match=, request=)`` runs inside the same transaction, so a failure undoes the
  acceptance (support creates the course).
- The held-places source: ``register_held_places_source(name, counter)``;
  ``counter(organisation, peer_ids)`` maps peer ids (peers of ``organisation``, an instance or
  its id) to how many citizens each peer supports. ``peer_ids`` is a list of ids or a query of
  them (``Peer`` ``values("pk")``, used as a subquery: a request's page asks for every active
  peer of the programme), so the counter filters with ``peer_id__in=peer_ids``; the
  organisation lets it read only that organisation's rows, by their index. Without
  one, matching counts active matches; support registers the peer's live courses (an accepted
  match becomes a course, and courses also come from hand-overs and second peers, which have no
  match). There is one source.
- Peer cautions: ``register_peer_caution_source(name, source)``; ``source(organisation,
  peer_ids)`` maps peer ids to caution codes (``CAUTIONS``) that a coordinator should know before
  proposing the peer: the peer asked for a break or a talk (outcomes' check-in), or a required
  credential expired (peercare). A cautioned peer scores lower and the explanation says why,
  without the peer's reasons; the citizen never sees it.
"""

from collections.abc import Callable

_ACTIVATION_STEPS: dict[str, Callable[..., object]] = {}
_HELD_PLACES_SOURCES: dict[str, Callable[[object, list[int]], dict[int, int]]] = {}
_PEER_CAUTION_SOURCES: dict[str, Callable[[object, list[int]], dict[int, list[str]]]] = {}

CAUTIONS = ("asked_for_break", "credential_expired")


def register_activation_step(name: str, step: Callable[..., object]) -> None:
    _ACTIVATION_STEPS[name] = step


def activation_steps() -> list[Callable[..., object]]:
    return list(_ACTIVATION_STEPS.values())


def register_held_places_source(
    name: str, counter: Callable[[object, list[int]], dict[int, int]]
) -> None:
    if _HELD_PLACES_SOURCES.keys() - {name}:
        raise ValueError(
            f"A held-places source is registered already: {sorted(_HELD_PLACES_SOURCES)}"
        )
    _HELD_PLACES_SOURCES[name] = counter


def held_places_source(default: Callable[[object, list[int]], dict[int, int]]):
    return next(iter(_HELD_PLACES_SOURCES.values()), default)


def register_peer_caution_source(
    name: str, source: Callable[[object, list[int]], dict[int, list[str]]]
) -> None:
    _PEER_CAUTION_SOURCES[name] = source


def peer_cautions(organisation, peer_ids) -> dict[int, list[str]]:
    """``{peer id: [caution code, ...]}`` from every registered source, in ``CAUTIONS`` order."""
    peer_ids = list(peer_ids)
    found: dict[int, set[str]] = {}
    for source in _PEER_CAUTION_SOURCES.values():
        for peer_id, codes in source(organisation, peer_ids).items():
            found.setdefault(peer_id, set()).update(codes)
    return {
        peer_id: [code for code in CAUTIONS if code in codes] for peer_id, codes in found.items()
    }
