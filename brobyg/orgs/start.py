"""What each role sees first on the start page: one section per role the member holds.

Apps that build on orgs add panels to a role's section through ``register_start_panel``, called
from their ``AppConfig.ready()``: imports point orgs ← people ← intake, so orgs never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from brobyg.audit import selectors as audit_selectors
from brobyg.orgs import selectors
from brobyg.orgs.choices import Role
from brobyg.orgs.permissions import ALL_PERMISSIONS, has_org_permission


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
    """Show ``template`` in the start section of each of ``roles`` to members holding
    ``permission``. ``build(request)`` gives the template's ``panel`` context. A member holding
    several of the roles sees the panel once, in the first of their sections."""
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}; add it to ROLE_PERMISSIONS.")
    _PANELS[name] = StartPanel(name, tuple(roles), permission, template, build)


def _panels(request, role, shown: set[str]) -> list[dict]:
    panels = []
    for panel in _PANELS.values():
        if (
            role in panel.roles
            and panel.name not in shown
            and has_org_permission(request, panel.permission)
        ):
            shown.add(panel.name)
            panels.append({"name": panel.name, "template": panel.template, **panel.build(request)})
    return panels


def _programmes(request):
    return list(selectors.programmes_for_organisation(request.org, include_inactive=False))


def _admin(request):
    return {
        "unit_count": selectors.units_for_organisation(request.org).count(),
        "programme_count": selectors.programmes_for_organisation(request.org).count(),
        "role_counts": selectors.active_role_counts(request.org),
    }


def _programmes_and_staff(request):
    return {
        "programmes": _programmes(request),
        "role_counts": selectors.active_role_counts(request.org),
    }


def _programmes_only(request):
    return {"programmes": _programmes(request)}


def _supervisor(request):
    return {"role_counts": selectors.active_role_counts(request.org)}


def _privacy_officer(request):
    since = timezone.now() - timedelta(days=7)
    return {"since": since, "counts": audit_selectors.security_counts(request.org, since=since)}


BUILDERS = {
    Role.ADMIN: _admin,
    Role.COORDINATOR: _programmes_and_staff,
    Role.PEER: _programmes_only,
    Role.MANAGER: _programmes_and_staff,
    Role.REFERRER: _programmes_only,
    Role.SUPERVISOR: _supervisor,
    Role.EVALUATOR: _programmes_only,
    Role.PRIVACY_OFFICER: _privacy_officer,
}


def start_sections(request) -> list[dict]:
    if request.membership is None:
        return []
    shown: set[str] = set()
    return [
        {
            "role": role,
            "template": f"orgs/start/_{role}.html",
            "panels": _panels(request, role, shown),
            **BUILDERS[role](request),
        }
        for role in Role.values
        if role in request.membership.roles
    ]
