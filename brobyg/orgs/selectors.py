from django.db.models import Count, Q
from django_scopes import scopes_disabled

from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership, Programme, Unit
from brobyg.orgs.permissions import member_has


def active_memberships_for_user(user) -> list[Membership]:
    """All organisations a user may act in; read across scopes because it decides the scope."""
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )


def units_for_organisation(organisation):
    return Unit.objects.filter(organisation=organisation).annotate(
        programme_count=Count("programmes")
    )


def programmes_for_organisation(organisation, *, include_inactive=True):
    programmes = Programme.objects.filter(organisation=organisation).prefetch_related("units")
    if not include_inactive:
        programmes = programmes.filter(is_active=True)
    return programmes


def active_members_holding(organisation, permission: str) -> list:
    """The organisation's active members (with active accounts) whose roles grant
    ``permission`` in the table: who is told, or may be chosen, for a task."""
    return [
        member
        for member in members_of_organisation(organisation)
        if member.is_active and member.user.is_active and member_has(member, permission)
    ]


def member_list(organisation, *, query: str = "", role: str = ""):
    """The organisation's members, filtered in the database, for a page of the member list."""
    members = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "pk")
    )
    if query:
        members = members.filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )
    if role:
        # Roles are a short JSON list of known words; the quoted word is found in its text on
        # SQLite and PostgreSQL alike.
        members = members.filter(roles__icontains=f'"{role}"')
    return members


def members_of_organisation(organisation, *, query: str = "", role: str = ""):
    return list(member_list(organisation, query=query, role=role))


def active_role_counts(organisation) -> dict[str, int]:
    """How many active members hold each role (one query; only the role lists are read)."""
    counts = dict.fromkeys(Role.values, 0)
    for roles in Membership.objects.filter(organisation=organisation, is_active=True).values_list(
        "roles", flat=True
    ):
        for role in roles:
            counts[role] += 1
    return counts
