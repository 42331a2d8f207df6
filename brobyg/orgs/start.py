"""What each role sees first on the start page: one section per role the member holds.

Apps that build on orgs add panels to a role's section through
``orgs.extensions.register_start_panel``. A panel's or a section's figure made with
``counted(queryset)`` is counted with every other figure of the page in one query, once all
sections are built (so the page's queries do not add up panel by panel).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from brobyg.audit import selectors as audit_selectors
from brobyg.orgs import selectors
from brobyg.orgs.choices import Role
from brobyg.orgs.extensions import start_panels
from brobyg.orgs.permissions import has_org_permission


@dataclass(frozen=True)
class Counted:
    queryset: object


def counted(queryset) -> Counted:
    """A figure of the start page: replaced by the number of rows of ``queryset``."""
    return Counted(queryset)


def _count_figures(organisation, sections: list[dict]) -> None:
    """Replace every ``Counted`` in the sections (in dicts and lists, at any depth) by its
    number, all counted in one query."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            return
        for key, item in items:
            if isinstance(item, Counted):
                found.append((value, key))
            else:
                walk(item)

    walk(sections)
    numbers = selectors.counts(
        organisation,
        **{f"figure_{i}": container[key].queryset for i, (container, key) in enumerate(found)},
    )
    for i, (container, key) in enumerate(found):
        container[key] = numbers[f"figure_{i}"]


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


def start_programmes(request):
    """The active programmes, read once however many sections and panels show them."""
    if not hasattr(request, "_start_programmes"):
        request._start_programmes = list(selectors.active_programmes(request.org))
    return request._start_programmes


def _role_counts(request, *roles):
    """How many active members hold each of ``roles`` (the ones the section shows: each count
    reads every membership of the organisation)."""
    by_role = selectors.active_members_by_role(request.org)
    return {role: counted(by_role[role]) for role in roles}


def _admin(request):
    return {
        "unit_count": counted(selectors.units_for_organisation(request.org)),
        "programme_count": counted(selectors.programmes_for_organisation(request.org)),
        "role_counts": _role_counts(request, Role.COORDINATOR, Role.PEER),
    }


def _coordinator(request):
    return {
        "programmes": start_programmes(request),
        "role_counts": _role_counts(request, Role.PEER),
    }


def _manager(request):
    return {
        "programmes": start_programmes(request),
        "role_counts": _role_counts(request, Role.PEER, Role.SUPERVISOR, Role.COORDINATOR),
    }


def _programmes_only(request):
    return {"programmes": start_programmes(request)}


def _supervisor(request):
    return {"role_counts": _role_counts(request, Role.PEER)}


def _privacy_officer(request):
    since = timezone.now() - timedelta(days=7)
    return {"since": since, "counts": audit_selectors.security_counts(request.org, since=since)}


BUILDERS = {
    Role.ADMIN: _admin,
    Role.COORDINATOR: _coordinator,
    Role.PEER: _programmes_only,
    Role.MANAGER: _manager,
    Role.REFERRER: _programmes_only,
    Role.SUPERVISOR: _supervisor,
    Role.EVALUATOR: _programmes_only,
    Role.PRIVACY_OFFICER: _privacy_officer,
}


def start_sections(request) -> list[dict]:
    if request.membership is None:
        return []
    shown: set[str] = set()
    sections = [
        {
            "role": role,
            "template": f"orgs/start/_{role}.html",
            "panels": _panels(request, role, shown),
            **BUILDERS[role](request),
        }
        for role in Role.values
        if role in request.membership.roles
    ]
    _count_figures(request.org, sections)
    return sections
