"""What later apps add to intake's pages, registered from their ``AppConfig.ready()`` (imports
point intake ← support, so intake never imports them).

- A citizen-page section: ``register_citizen_section(name=, permission=, template=, build=)``;
  ``build(request, citizen)`` gives the template's ``section`` context.
- A later status for the referrer's list: ``register_later_status(name, provider)``;
  ``provider(requests)`` maps request ids to a short status label (no notes, no names).
- A close step: ``register_close_step(name, step)``; when a request is closed without a match
  (withdrawn, declined, referred elsewhere), ``step(actor=, support_request=, request=)`` runs
  inside the closing transaction (matching withdraws a pending proposal).
- A stage of the citizen's personal page: ``register_personal_stage(name, build)``;
  ``build(support_request, token)`` returns None or a ``PersonalStage`` (its ``rank`` orders the
  path: request 0, proposal 10-20, course 30, hand-over 40, end 50). The page shows every stage
  of the path so far, the highest as its status. Called inside the request's scope; a stage
  holds what the citizen may read of their own path (first names, dates, places), no notes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from brobyg.orgs.permissions import ALL_PERMISSIONS, has_org_permission


@dataclass(frozen=True)
class CitizenSection:
    name: str
    permission: str
    template: str
    build: Callable[..., dict]


_CITIZEN_SECTIONS: dict[str, CitizenSection] = {}
_LATER_STATUSES: dict[str, Callable] = {}
_CLOSE_STEPS: dict[str, Callable[..., None]] = {}
_PERSONAL_STAGES: dict[str, Callable] = {}


@dataclass(frozen=True)
class PersonalStage:
    rank: int
    title: str
    explanation: str
    template: str = ""
    context: dict | None = None


def register_citizen_section(*, name, permission, template, build) -> None:
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}; add it to ROLE_PERMISSIONS.")
    _CITIZEN_SECTIONS[name] = CitizenSection(name, permission, template, build)


def citizen_sections(request, citizen) -> list[dict]:
    return [
        {"template": section.template, **section.build(request, citizen)}
        for section in _CITIZEN_SECTIONS.values()
        if has_org_permission(request, section.permission)
    ]


def register_later_status(name: str, provider: Callable) -> None:
    _LATER_STATUSES[name] = provider


def later_statuses(requests) -> dict[int, list[str]]:
    requests = list(requests)
    statuses: dict[int, list[str]] = {}
    for provider in _LATER_STATUSES.values():
        for request_id, label in provider(requests).items():
            statuses.setdefault(request_id, []).append(label)
    return statuses


def register_close_step(name: str, step: Callable[..., None]) -> None:
    _CLOSE_STEPS[name] = step


def close_steps() -> list[Callable[..., None]]:
    return list(_CLOSE_STEPS.values())


def register_personal_stage(name: str, build: Callable) -> None:
    _PERSONAL_STAGES[name] = build


def personal_stages(support_request, token) -> list[PersonalStage]:
    stages = (build(support_request, token) for build in _PERSONAL_STAGES.values())
    return sorted((stage for stage in stages if stage is not None), key=lambda s: s.rank)
