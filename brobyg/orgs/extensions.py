"""The hooks orgs offers later apps (imports point orgs ← people ← intake ← ..., so orgs never
imports them); each registers from its ``AppConfig.ready()``.

- A start-page panel: ``register_start_panel(name=, roles=, permission=, template=, build=)``
  shows ``template`` in the start section of each of ``roles`` to members holding
  ``permission``; ``build(request)`` gives the template's ``panel`` context. A member holding
  several of the roles sees the panel once, in the first of their sections.
"""

from collections.abc import Callable
from dataclasses import dataclass

from brobyg.orgs.permissions import ALL_PERMISSIONS


@dataclass(frozen=True)
class StartPanel:
    name: str
    roles: tuple[str, ...]
    permission: str
    template: str
    build: Callable[..., dict]


# Registered panels by name, shown in the order they were registered.
_PANELS: dict[str, StartPanel] = {}


def register_start_panel(*, name, roles, permission, template, build) -> None:
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}; add it to ROLE_PERMISSIONS.")
    _PANELS[name] = StartPanel(name, tuple(roles), permission, template, build)


def start_panels() -> list[StartPanel]:
    """The registered panels, in the order they were registered."""
    return list(_PANELS.values())
