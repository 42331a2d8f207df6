"""What each role sees first on the start page: one section per role the member holds.

Apps that build on orgs add panels to a role's section through
``orgs.extensions.register_start_panel``.
"""

from datetime import timedelta

from django.utils import timezone

from brobyg.audit import selectors as audit_selectors
from brobyg.orgs import selectors
from brobyg.orgs.choices import Role
from brobyg.orgs.extensions import start_panels
from brobyg.orgs.permissions import has_org_permission


def _panels(request, role, shown: set[str]) -> list[dict]:
    panels = []
    for panel in start_panels():
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
