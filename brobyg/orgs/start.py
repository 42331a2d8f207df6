"""What each role sees first on the start page: one section per role the member holds."""

from datetime import timedelta

from django.utils import timezone

from brobyg.audit import selectors as audit_selectors
from brobyg.orgs import selectors
from brobyg.orgs.choices import Role


def _programmes(request):
    return list(selectors.programmes_for_organisation(request.org, include_inactive=False))


def _role_counts(request):
    counts = dict.fromkeys(Role.values, 0)
    for member in selectors.members_of_organisation(request.org):
        if member.is_active:
            for role in member.roles:
                counts[role] += 1
    return counts


def _admin(request):
    return {
        "unit_count": selectors.units_for_organisation(request.org).count(),
        "programme_count": selectors.programmes_for_organisation(request.org).count(),
        "role_counts": _role_counts(request),
    }


def _coordinator(request):
    return {"programmes": _programmes(request), "role_counts": _role_counts(request)}


def _manager(request):
    return {"programmes": _programmes(request), "role_counts": _role_counts(request)}


def _programmes_only(request):
    return {"programmes": _programmes(request)}


def _supervisor(request):
    return {"role_counts": _role_counts(request)}


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
    return [
        {"role": role, "template": f"orgs/start/_{role}.html", **BUILDERS[role](request)}
        for role in Role.values
        if role in request.membership.roles
    ]
