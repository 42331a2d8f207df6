"""The hooks outcomes offers (outcomes comes after the apps that plan courses and groups, so
they could not import it; today outcomes registers its own anchors from ``AppConfig.ready()``).

- A schedule anchor: ``register_schedule_anchor(kind, provider)`` makes ``kind`` available to
  outcome schedules: when questionnaires fall due (a request's intake, a course's first and last
  session, a group's sessions).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Occasion:
    """One time one person is due to answer. ``anchor_id`` and ``timepoint`` identify it."""

    anchor_id: str
    timepoint: str
    due_at: datetime
    citizen: object = None
    user: object = None
    peer: object = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class AnchorProvider:
    label: str
    respondent: str
    default_timing: dict
    occasions: Callable[..., Iterable[Occasion]]
    timing_keys: frozenset[str] = field(default_factory=frozenset)


_ANCHORS: dict[str, AnchorProvider] = {}


def register_schedule_anchor(kind: str, provider: AnchorProvider) -> None:
    """Make ``kind`` available to schedules; ``provider.respondent`` says which instruments fit
    (an instrument's ``respondent``), ``provider.timing_keys`` which timing settings apply."""
    _ANCHORS[kind] = provider


def anchor(kind: str) -> AnchorProvider | None:
    return _ANCHORS.get(kind)


def anchors() -> dict[str, AnchorProvider]:
    return dict(_ANCHORS)
