"""What each role sees first on the start page: one section per role the member holds.

Apps that build on orgs add panels to a role's section through
``orgs.extensions.register_start_panel``. A panel's or a section's figure made with
``counted(queryset)`` is counted with every other figure of the page in one query, once all
sections are built (so the page's queries do not add up panel by panel). When every figure of
the page names what its queryset is built from (``counted(build, key=...)``), that query is
compiled once per organisation, day, time zone and keys (``lib.compiled``): the querysets are
then built only the first time.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from brobyg.audit import selectors as audit_selectors
from brobyg.audit.services import list_reads_written_together
from brobyg.lib.compiled import compiled_values
from brobyg.orgs import selectors
from brobyg.orgs.choices import Role
from brobyg.orgs.extensions import start_panels
from brobyg.orgs.models import Organisation
from brobyg.orgs.permissions import has_org_permission


@dataclass(frozen=True)
class Counted:
    queryset: object
    key: tuple | None = None

    def built(self):
        return self.queryset() if self.key is not None else self.queryset


def counted(queryset, *, key: tuple | None = None) -> Counted:
    """A figure of the start page: replaced by the number of rows of ``queryset``.

    With ``key``, ``queryset`` is a function building the queryset and ``key`` names everything
    it is built from besides the organisation, the local day and the time zone (the member's
    roles and id, a programme's id...): a figure that depends on the moment (``now()``) or on
    rows read to build it takes no key."""
    return Counted(queryset, key)


def member_key(request) -> tuple:
    """What a figure read through a ``*_visible_to`` selector is built from: the member's roles
    (their permissions) and user."""
    return (tuple(sorted(request.membership.roles)), request.user.pk)


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
    if not found:
        return
    figures = [container[key] for container, key in found]

    def build():
        return selectors.counts_row(organisation, [figure.built() for figure in figures])

    if all(figure.key is not None for figure in figures):
        page_key = (
            "orgs.start.counts",
            organisation.pk,
            timezone.localdate(),
            timezone.get_current_timezone_name(),
            *[figure.key for figure in figures],
        )
        (row,) = compiled_values(Organisation, page_key, build)
    else:
        row = build().get()
    # An empty queryset (``.none()``) compiles to no subquery at all: its count is NULL.
    for (container, key), number in zip(found, row, strict=True):
        container[key] = number or 0


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
    organisation = request.org
    return {
        role: counted(
            lambda role=role: selectors.active_members_by_role(organisation)[role],
            key=("orgs.role", role),
        )
        for role in roles
    }


def _admin(request):
    organisation = request.org
    return {
        "unit_count": counted(
            lambda: selectors.units_for_organisation(organisation), key=("orgs.units",)
        ),
        "programme_count": counted(
            lambda: selectors.programmes_for_organisation(organisation), key=("orgs.programmes",)
        ),
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
    # The panels' lists are logged in one statement once every panel is built.
    with list_reads_written_together():
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
