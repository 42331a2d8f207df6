from allauth.mfa.models import Authenticator
from django.db import router
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django_scopes import scopes_disabled

from brobyg.lib.compiled import compiled_values
from brobyg.lib.pagination import ListedParts
from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership, Organisation, Programme, Unit, User
from brobyg.orgs.permissions import member_has

MEMBERSHIP_FIELDS = [field.attname for field in Membership._meta.concrete_fields]
ORGANISATION_FIELDS = [field.attname for field in Organisation._meta.concrete_fields]


USER_FIELDS = [field.attname for field in User._meta.concrete_fields]


def _active_memberships(user_pk):
    return (
        Membership.objects.filter(user=user_pk, is_active=True, organisation__is_active=True)
        .values_list(*MEMBERSHIP_FIELDS, *(f"organisation__{name}" for name in ORGANISATION_FIELDS))
        .annotate(
            has_second_factor=Exists(Authenticator.objects.filter(user_id=OuterRef("user_id")))
        )
        .order_by()
    )


def _user_and_memberships(user_pk):
    """The user's row once per active membership (the membership's and its organisation's
    columns beside it: NULL when the user has none), and whether they have a second factor."""
    return (
        User.objects.filter(pk=user_pk)
        .annotate(active=FilteredRelation("memberships", condition=Q(memberships__is_active=True)))
        .values_list(
            *USER_FIELDS,
            *(f"active__{name}" for name in MEMBERSHIP_FIELDS),
            *(f"active__organisation__{name}" for name in ORGANISATION_FIELDS),
        )
        .annotate(has_second_factor=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"))))
        .order_by()
    )


def _memberships(user, rows) -> list[Membership]:
    """The active memberships of ``user`` in active organisations from ``rows`` (each the
    membership's columns, its organisation's, then whether the user has a second factor), by
    the organisation's name."""
    using = router.db_for_read(Membership)
    split = len(MEMBERSHIP_FIELDS)
    organisation_active = split + ORGANISATION_FIELDS.index("is_active")
    memberships = []
    for row in rows:
        if row[0] is None or not row[organisation_active]:
            continue
        membership = Membership.from_db(using, MEMBERSHIP_FIELDS, row[:split])
        membership.organisation = Organisation.from_db(using, ORGANISATION_FIELDS, row[split:-1])
        membership.user = user
        membership.has_second_factor = row[-1]
        memberships.append(membership)
    memberships.sort(key=lambda membership: membership.organisation.name.casefold())
    return memberships


def signed_in_user(user_pk: int) -> User | None:
    """The user of a session, read at every request with their active memberships in one
    query, compiled once per process with the user's id as its argument
    (``brobyg.lib.compiled``): ``active_memberships_for_user`` then reads them no more for
    this user object, once."""
    rows = compiled_values(User, ("orgs.signed_in_user",), _user_and_memberships, (user_pk,))
    if not rows:
        return None
    split = len(USER_FIELDS)
    user = User.from_db(router.db_for_read(User), USER_FIELDS, rows[0][:split])
    user._read_memberships = _memberships(user, [row[split:] for row in rows])
    return user


def active_memberships_for_user(user) -> list[Membership]:
    """All organisations a user may act in; read across scopes because it decides the scope.
    Each knows its user (no second read of it) and, as ``has_second_factor``, whether the user
    has set up a second factor (in the same query, for ``SecondFactorRequiredMiddleware``).
    Every request runs it, so its SQL is compiled once per process with the user's id as its
    argument (``brobyg.lib.compiled``), and the few rows are sorted by name here. The signed-in
    user of a request (``signed_in_user``) carries them, read with the user: they are taken
    from it the first time, and read afresh after."""
    read = getattr(user, "_read_memberships", None)
    if read is not None:
        del user._read_memberships  # through the request's lazy user, to the user itself
        return read
    with scopes_disabled():
        rows = compiled_values(
            Membership, ("orgs.active_memberships",), _active_memberships, (user.pk,)
        )
    return _memberships(user, rows)


def units_for_organisation(organisation):
    return Unit.objects.filter(organisation=organisation).annotate(
        programme_count=Count("programmes")
    )


def programmes_for_organisation(organisation, *, include_inactive=True):
    programmes = Programme.objects.filter(organisation=organisation).prefetch_related("units")
    if not include_inactive:
        programmes = programmes.filter(is_active=True)
    return programmes


def active_programmes(organisation):
    """The organisation's active programmes, by name, without their units."""
    return Programme.objects.filter(organisation=organisation, is_active=True).order_by("name")


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


def member_list_parts(organisation, *, query: str = "", role: str = "") -> ListedParts:
    """``member_list`` for its pages: the active members by name, then the former ones, each
    read from the users' name index (``user_name_order``) a page's worth at a time, their
    numbers counted in one query."""
    members = member_list(organisation, query=query, role=role)
    numbers = members.order_by().aggregate(
        active=Count("pk", filter=Q(is_active=True)), former=Count("pk", filter=Q(is_active=False))
    )
    by_name = ("user__full_name", "pk")
    return ListedParts(
        [
            members.filter(is_active=True).order_by(*by_name),
            members.filter(is_active=False).order_by(*by_name),
        ],
        [numbers["active"], numbers["former"]],
    )


def member_users_matching(organisation, query: str):
    """The accounts of the organisation's members (former ones too) whose name or e-mail
    contains ``query``, as a queryset for the database to filter by."""
    return User.objects.filter(
        Q(full_name__icontains=query) | Q(email__icontains=query),
        memberships__organisation=organisation,
    )


def member_user(organisation, public_id):
    """The account of the organisation's member (former ones too) with ``public_id``, or None."""
    return User.objects.filter(memberships__organisation=organisation, public_id=public_id).first()


def members_of_organisation(organisation, *, query: str = "", role: str = ""):
    return list(member_list(organisation, query=query, role=role))


class JsonListHas(Func):
    """In the database: whether a JSON list of strings (the first expression) holds the string
    (the second), exactly. PostgreSQL asks the jsonb list with ``?`` instead of turning it into
    text, upper-casing and searching it (a third of the CPU, for each of a big municipality's
    2,000 members); SQLite looks through ``json_each``."""

    arity = 2
    output_field = BooleanField()

    # (a template, the joiner between the list and the word) per database
    templates = {
        "postgresql": ("(%(expressions)s)", " ? "),
        "sqlite": (
            "EXISTS (SELECT 1 FROM json_each(%(expressions)s)",
            ") AS words WHERE words.value = ",
        ),
    }

    def as_sql(self, compiler, connection, **extra):
        template, joiner = self.templates[connection.vendor]
        return super().as_sql(compiler, connection, template=template, arg_joiner=joiner, **extra)


def active_members_by_role(organisation) -> dict:
    """Per role, the active members holding it (a queryset to count, e.g. with ``counts``)."""
    active = Membership.objects.filter(organisation=organisation, is_active=True)
    return {
        role: active.filter(JsonListHas(F("roles"), Value(role, output_field=CharField())))
        for role in Role.values
    }


def active_role_counts(organisation) -> dict[str, int]:
    """How many active members hold each role, counted by the database in one query."""
    return counts(organisation, **active_members_by_role(organisation))


class CountOf(Subquery):
    """The number of rows of a queryset, as a scalar subquery (also when it is distinct)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset):
        super().__init__(queryset.order_by().values("pk"))


def counts(organisation, **querysets) -> dict[str, int]:
    """Several counts, of any tables, in one query: ``counts(org, waiting=qs1, active=qs2)``
    gives ``{"waiting": n1, "active": n2}``. Each queryset is built as usual (within the
    organisation's scope) and counted by the database as a subquery of the organisation's row."""
    if not querysets:
        return {}
    names = list(querysets)
    row = (
        Organisation.objects.filter(pk=organisation.pk)
        .values(**{f"count_{i}": CountOf(querysets[name]) for i, name in enumerate(names)})
        .get()
    )
    # An empty queryset (``.none()``) compiles to no subquery at all: its count is NULL.
    return {name: row[f"count_{i}"] or 0 for i, name in enumerate(names)}


def counts_row(organisation, querysets: list):
    """``counts``' query as a ``values_list`` of the organisation's row: one count per queryset,
    in their order (None for an empty queryset)."""
    return Organisation.objects.filter(pk=organisation.pk).values_list(
        *[CountOf(queryset) for queryset in querysets]
    )
