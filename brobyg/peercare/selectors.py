"""Reads for peer care: coverage, flags, checklists, notes (with who may see them), load."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import router
from django.db.models import (
    Count,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Least, Lower, Trim, TruncDate
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.lib import days
from brobyg.lib.compiled import compiled_values, instance
from brobyg.lib.planning import planned_for_values
from brobyg.lib.rows import choice_label_map, public_id_url
from brobyg.matching.models import PENDING_STATUSES, Match
from brobyg.orgs.models import Programme, User
from brobyg.orgs.selectors import active_members_holding
from brobyg.peercare import extensions, load
from brobyg.peercare.models import (
    DEFAULT_SUPERVISION_WEEKS,
    PathwayEntry,
    PauseAction,
    PauseLogEntry,
    ProgrammePeerCare,
    RoleConfirmation,
    SupervisionSession,
    SupervisorAssignment,
    TrainingKind,
    TrainingRecord,
)
from brobyg.people.models import Peer, PeerStatus

EXPIRY_WARNING_DAYS = 30
# Programmes whose minimum age is below this work with children under 15: their peers need a
# valid child-protection certificate (børneattest).
CHILD_AGE_LIMIT = 15
CARED_FOR_STATUSES = (PeerStatus.ONBOARDING, PeerStatus.ACTIVE, PeerStatus.PAUSED)


class FlagKind:
    SUPERVISION_OVERDUE = "supervision_overdue"
    CREDENTIAL_EXPIRING = "credential_expiring"
    CREDENTIAL_EXPIRED = "credential_expired"
    CHILD_PROTECTION_MISSING = "child_protection_missing"


FLAG_LABELS = {
    FlagKind.SUPERVISION_OVERDUE: _("Supervision overdue"),
    FlagKind.CREDENTIAL_EXPIRING: _("Credential expires soon"),
    FlagKind.CREDENTIAL_EXPIRED: _("Credential expired"),
    FlagKind.CHILD_PROTECTION_MISSING: _("No child-protection certificate"),
}


@dataclass
class Flag:
    kind: str
    peer: Peer
    occasion: str
    when: date | None = None
    record: TrainingRecord | None = None

    @property
    def label(self):
        return FLAG_LABELS[self.kind]


@dataclass
class PeerCare:
    """Everything peer care knows about one peer, loaded in bulk (see ``peer_care_rows``)."""

    peer: Peer
    weeks: int
    last_supervision: date | None
    sessions_last_year: int
    due_on: date
    overdue: bool
    supervisor: object | None
    records: list = field(default_factory=list)
    current_records: list = field(default_factory=list)
    needs_child_protection: bool = False
    role_confirmed: bool = False
    role_description_missing: bool = False
    programmes: list = field(default_factory=list)
    cares: dict = field(default_factory=dict)
    confirmed_versions: set = field(default_factory=set)
    flags: list = field(default_factory=list)
    other_flags: list = field(default_factory=list)

    @property
    def checklist(self) -> list[dict]:
        items = [
            {
                "key": "training",
                "label": _("Peer training done"),
                "done": any(r.kind == TrainingKind.EDUCATION for r in self.records),
            },
            {"key": "role", "label": _("Role description read"), "done": self.role_confirmed},
            {
                "key": "supervisor",
                "label": _("Supervisor assigned"),
                "done": self.supervisor is not None,
            },
        ]
        if self.needs_child_protection:
            items.append(
                {
                    "key": "child_protection",
                    "label": _("Valid child-protection certificate"),
                    "done": self._child_protection_valid(),
                }
            )
        return items

    @property
    def checklist_complete(self) -> bool:
        """``checklist``'s items all done (without building their labels: a list row asks)."""
        return (
            any(r.kind == TrainingKind.EDUCATION for r in self.records)
            and self.role_confirmed
            and self.supervisor is not None
            and (not self.needs_child_protection or self._child_protection_valid())
        )

    def _child_protection_valid(self) -> bool:
        today = timezone.localdate()
        return any(
            r.kind == TrainingKind.CHILD_PROTECTION and r.expires_on and r.expires_on >= today
            for r in self.current_records
        )


def programme_care(programme) -> ProgrammePeerCare | None:
    return ProgrammePeerCare.objects.filter(programme=programme).first()


def peers_cared_for(organisation, *, statuses=CARED_FOR_STATUSES):
    return (
        Peer.objects.filter(organisation=organisation, status__in=statuses)
        .select_related("user")
        .prefetch_related("programmes")
        .order_by("user__full_name", "pk")
    )


def with_care(peers: QuerySet, *, today=None) -> QuerySet:
    """``peers`` carrying what their rows need beside the peer's own row: the user, the
    supervisor (one join) and the sessions of the last year (``care_year``: one subquery per
    peer fetched), so ``peer_care_rows`` asks no query for them."""
    today = today or timezone.localdate()
    attended = SupervisionSession.attendees.through.objects.filter(peer_id=OuterRef("pk"))
    return peers.select_related("user", "supervisor_assignment__supervisor").annotate(
        care_year=Coalesce(
            Subquery(
                attended.filter(supervisionsession__held_on__gt=today - timedelta(days=365))
                .values("peer_id")
                .annotate(year=Count("pk"))
                .values("year")
            ),
            Value(0),
        ),
    )


# The columns a row of the overview and the supervisor's list read (``peer_care_rows``, the
# templates and the audit entry's subject): the peers' JSON columns (lived experience,
# languages, availability, ...) and the users' passwords are never decoded for them.
ROW_FIELDS = (
    "public_id",
    "organisation_id",
    "status",
    "created_at",
    "last_supervised_on",
    "user__public_id",
    "user__full_name",
    "supervisor_assignment__supervisor__public_id",
    "supervisor_assignment__supervisor__full_name",
)


def coverage_peers(organisation, *, today=None) -> QuerySet:
    """The peers of the coverage table, by name, ready for ``peer_care_rows`` (their
    programmes are fetched with the rows, together with any other peers shown), with only the
    columns their rows show (``ROW_FIELDS``)."""
    return (
        with_care(
            Peer.objects.filter(organisation=organisation, status__in=CARED_FOR_STATUSES),
            today=today,
        )
        .only(*ROW_FIELDS)
        .order_by("user__full_name", "pk")
    )


def own_care_peer(organisation, user) -> Peer | None:
    """The member's own peer profile, fetched for its row (``with_care``) with how many
    proposals wait for its answer (``waiting_proposals``), or None."""
    waiting = (
        Match.objects.filter(peer_id=OuterRef("pk"), status__in=PENDING_STATUSES)
        .values("peer_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        with_care(Peer.objects.filter(organisation=organisation, user=user))
        .annotate(waiting_proposals=Coalesce(Subquery(waiting), Value(0)))
        .first()
    )


def own_care_row(organisation, peer) -> PeerCare:
    """The peer's own row. The sections' flags are shown beside peer care's own flags only,
    so they are asked for only when there are some."""
    (row,) = peer_care_rows(organisation, [peer], other={})
    if row.flags:
        row.other_flags = extensions.section_flags(organisation, [peer.pk]).get(peer.pk, [])
    return row


def _current(records) -> list[TrainingRecord]:
    """The newest record of each series (a renewal replaces the record it renews)."""
    newest = {}
    for record in sorted(records, key=lambda r: (r.completed_on, r.pk)):
        newest[record.series_key] = record
    return list(newest.values())


PROGRAMME_FIELDS = (
    "peer_id",
    "programme__public_id",
    "programme__organisation_id",
    "programme__name",
    "programme__minimum_age",
    *(
        f"programme__peer_care__{name}"
        for name in (
            "programme_id",
            "tasks",
            "not_tasks",
            "when_worried",
            "supervision_weeks",
            "version",
        )
    ),
)
# The columns of a training record that rows read (``_current``, ``_flags``, the flags' tags).
RECORD_FIELDS = ("id", "peer_id", "kind", "title", "recovery_tool", "completed_on", "expires_on")


def _programmes(ids) -> dict[int, list]:
    """``{peer id: [programme, ...]}`` by name, each programme with its peer-care settings
    (``peer_care``, None without): one query, read afresh (never the peers' cached lists). A
    programme comes once per enrolment, with only the columns rows and the peer's own page
    read (``PROGRAMME_FIELDS``)."""
    care = Programme.peer_care.related
    programmes: dict[int, list] = {}
    for enrolment in (
        Peer.programmes.through.objects.filter(peer_id__in=ids)
        .select_related("programme__peer_care")
        .only(*PROGRAMME_FIELDS)
        .order_by("programme__name", "programme_id")
    ):
        programme = enrolment.programme
        programme.care = care.get_cached_value(programme, None)
        programmes.setdefault(enrolment.peer_id, []).append(programme)
    return programmes


def _sessions_last_year(peers, today) -> dict[int, int]:
    """``{peer id: sessions attended in the last year}``: from ``with_care``'s annotation
    where the peers carry it, else in one query for the others."""
    known = {peer.pk: peer.care_year for peer in peers if hasattr(peer, "care_year")}
    others = [peer.pk for peer in peers if peer.pk not in known]
    if others:
        known.update(
            SupervisionSession.attendees.through.objects.filter(
                peer_id__in=others, supervisionsession__held_on__gt=today - timedelta(days=365)
            )
            .values("peer_id")
            .annotate(year=Count("pk"))
            .values_list("peer_id", "year")
        )
    return known


def _supervisors(peers) -> dict[int, object]:
    """``{peer id: supervisor}``: from the join ``with_care`` made, else in one query."""
    assignment = Peer.supervisor_assignment.related
    known = {}
    others = []
    for peer in peers:
        if assignment.is_cached(peer):
            cached = assignment.get_cached_value(peer)
            if cached is not None:
                known[peer.pk] = cached.supervisor
        else:
            others.append(peer.pk)
    if others:
        known.update(
            {
                a.peer_id: a.supervisor
                for a in SupervisorAssignment.objects.filter(peer_id__in=others).select_related(
                    "supervisor"
                )
            }
        )
    return known


def peer_care_rows(organisation, peers, *, today=None, other=None) -> list[PeerCare]:
    """Coverage, checklist and flags of ``peers`` (with their programmes) in a fixed number of
    queries (fewer when the peers come from ``with_care``). ``other``: the sections' flags
    (``extensions.section_flags``) when the caller already has them."""
    today = today or timezone.localdate()
    peers = list(peers)
    ids = [peer.pk for peer in peers]
    sessions_last_year = _sessions_last_year(peers, today)
    programmes_of = _programmes(ids)
    cares = {
        programme.pk: programme.care
        for programmes in programmes_of.values()
        for programme in programmes
        if programme.care is not None
    }
    confirmed: dict[int, set] = {}
    for peer_id, programme_id, version in RoleConfirmation.objects.filter(
        peer_id__in=ids
    ).values_list("peer_id", "programme_id", "version"):
        confirmed.setdefault(peer_id, set()).add((programme_id, version))
    supervisors = _supervisors(peers)
    records = _records(organisation, ids)
    if other is None:
        other = extensions.section_flags(organisation, ids)

    rows = []
    for peer in peers:
        programmes = programmes_of.get(peer.pk, [])
        weeks = min(
            (cares[p.pk].supervision_weeks for p in programmes if p.pk in cares),
            default=DEFAULT_SUPERVISION_WEEKS,
        )
        anchor, due_on, overdue = _supervision_due(peer, weeks, today)
        described = [
            cares[p.pk] for p in programmes if p.pk in cares and cares[p.pk].has_description
        ]
        peer_records = records.get(peer.pk, [])
        versions = confirmed.get(peer.pk, set())
        row = PeerCare(
            peer=peer,
            weeks=weeks,
            last_supervision=peer.last_supervised_on,
            sessions_last_year=sessions_last_year.get(peer.pk, 0),
            due_on=due_on,
            overdue=overdue,
            supervisor=supervisors.get(peer.pk),
            records=peer_records,
            current_records=_current(peer_records),
            needs_child_protection=any(p.minimum_age < CHILD_AGE_LIMIT for p in programmes),
            role_confirmed=bool(described)
            and all((c.programme_id, c.version) in versions for c in described),
            role_description_missing=not described,
            programmes=programmes,
            cares={p.pk: cares[p.pk] for p in programmes if p.pk in cares},
            confirmed_versions=versions,
            other_flags=other.get(peer.pk, []),
        )
        row.flags = _flags(
            peer,
            anchor=anchor,
            due_on=due_on,
            overdue=overdue,
            current_records=row.current_records,
            needs_child_protection=row.needs_child_protection,
            today=today,
        )
        rows.append(row)
    return rows


def _records(organisation, ids) -> dict[int, list[TrainingRecord]]:
    """``{peer id: [training record, ...]}``, newest first, only the columns rows read. Its SQL
    depends on the organisation and the number of ids only: compiled once for them
    (``lib.compiled``), the ids its arguments, the records made from the rows alone."""

    def build(*ids):
        return TrainingRecord.objects.filter(
            organisation=organisation, peer_id__in=ids
        ).values_list(*RECORD_FIELDS)

    key = ("peercare.records", organisation.pk, len(ids))
    using = router.db_for_read(TrainingRecord)
    records: dict[int, list] = {}
    for row in compiled_values(TrainingRecord, key, build, tuple(ids)):
        record = instance(TrainingRecord, using, RECORD_FIELDS, row)
        records.setdefault(record.peer_id, []).append(record)
    return records


def _supervision_due(peer, weeks: int, today: date) -> tuple[date, date, bool]:
    """The day the peer's supervision is counted from (the last one, else the day they
    joined), the day the next is due, and whether it is overdue (only an active or onboarding
    peer's is)."""
    anchor = peer.last_supervised_on or timezone.localdate(peer.created_at)
    due_on = anchor + timedelta(weeks=weeks)
    overdue = peer.status in (PeerStatus.ONBOARDING, PeerStatus.ACTIVE) and today > due_on
    return anchor, due_on, overdue


def _flags(
    peer, *, anchor, due_on, overdue, current_records, needs_child_protection, today
) -> list[Flag]:
    flags = []
    if overdue:
        flags.append(Flag(FlagKind.SUPERVISION_OVERDUE, peer, anchor.isoformat(), when=due_on))
    for record in current_records:
        if record.expires_on is None:
            continue
        if record.expires_on < today:
            flags.append(
                Flag(
                    FlagKind.CREDENTIAL_EXPIRED,
                    peer,
                    f"record:{record.pk}",
                    when=record.expires_on,
                    record=record,
                )
            )
        elif record.expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS):
            flags.append(
                Flag(
                    FlagKind.CREDENTIAL_EXPIRING,
                    peer,
                    f"record:{record.pk}",
                    when=record.expires_on,
                    record=record,
                )
            )
    if needs_child_protection and not any(
        r.kind == TrainingKind.CHILD_PROTECTION for r in current_records
    ):
        flags.append(Flag(FlagKind.CHILD_PROTECTION_MISSING, peer, "missing"))
    return flags


def _current_records():
    """The training records no later record of the same series replaces (``_current``). A
    series is compared kind by kind (``TrainingRecord.series_key``), not as one computed key:
    with a key, PostgreSQL hashed every record of the organisation on it, computing each key
    (three times the time of the rest of the query)."""
    records = TrainingRecord.objects.annotate(title_key=Lower(Trim("title")))
    tools = (TrainingKind.CHILD_PROTECTION, TrainingKind.RECOVERY_TOOL)
    same_series = (
        Q(kind=TrainingKind.CHILD_PROTECTION)
        | Q(kind=TrainingKind.RECOVERY_TOOL, recovery_tool=OuterRef("recovery_tool"))
        | (~Q(kind__in=tools) & Q(title_key=OuterRef("title_key")))
    )
    newer = records.filter(same_series, peer_id=OuterRef("peer_id"), kind=OuterRef("kind"))
    newer = newer.filter(
        Q(completed_on__gt=OuterRef("completed_on"))
        | Q(completed_on=OuterRef("completed_on"), pk__gt=OuterRef("pk"))
    )
    return records.filter(~Exists(newer))


def _fewest_weeks(settings: QuerySet) -> QuerySet:
    """The fewest supervision weeks of ``settings`` (programmes' peer-care settings), as a
    one-value subquery: NULL when there are none."""
    return (
        settings.annotate(group=Value(1))
        .values("group")
        .annotate(weeks=Min("supervision_weeks"))
        .values("weeks")
    )


def _peer_weeks() -> Subquery:
    """The fewest supervision weeks of the programmes of the peer of the outer query (NULL
    when none has peer-care settings), the rule of ``peer_care_rows``. It reads the few
    programmes' settings and probes the peer's enrolments by index (never the programmes:
    joining them cost a scan of every programme for each peer)."""
    return Subquery(
        _fewest_weeks(
            ProgrammePeerCare.objects.filter(
                programme_id__in=Peer.programmes.through.objects.filter(
                    peer_id=OuterRef(OuterRef("pk"))
                ).values("programme_id")
            )
        )
    )


def _works_with_children() -> Exists:
    """Whether a programme of the peer of the outer query works with children under
    ``CHILD_AGE_LIMIT`` (the peer then needs a child-protection certificate)."""
    return Exists(
        Peer.programmes.through.objects.filter(
            peer_id=OuterRef("pk"), programme__minimum_age__lt=CHILD_AGE_LIMIT
        )
    )


def flag_conditions(organisation, *, today=None) -> dict:
    """Peer care's own flags as conditions on the organisation's peers, computed by the
    database with the rules of ``_flags``: ``overdue``, ``credential`` (a current record
    expired or expiring within ``EXPIRY_WARNING_DAYS``) and ``child_protection`` (no
    certificate where a programme works with children). Each is an expression built once and
    used where a query filters (never named as an alias that every use would copy and resolve
    again: that cost more than the query itself)."""
    today = today or timezone.localdate()
    anchor = Coalesce(
        "last_supervised_on", TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    )
    # today > anchor + weeks  <=>  anchor < today - weeks, the weeks being the fewest of the
    # peer's programmes' (or the default): one subquery per peer, the date in the database.
    # The fewest weeks of any of the organisation's programmes (or the default), read once,
    # bound every peer's: the peer's own are looked up only where the row's anchor is older
    # than that.
    bound = _fewest_weeks(ProgrammePeerCare.objects.filter(organisation=organisation))
    default = Value(DEFAULT_SUPERVISION_WEEKS)
    earliest = days.WeeksBefore(Value(today), Least(Coalesce(Subquery(bound), default), default))
    threshold = days.WeeksBefore(Value(today), Coalesce(_peer_weeks(), default))
    credentials = _current_records().filter(
        peer_id=OuterRef("pk"),
        expires_on__isnull=False,
        expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS),
    )
    return {
        "overdue": Q(status__in=(PeerStatus.ONBOARDING, PeerStatus.ACTIVE))
        & Q(LessThan(anchor, earliest))
        & Q(LessThan(anchor, threshold)),
        "credential": Q(Exists(credentials)),
        "child_protection": Q(_works_with_children())
        & ~Q(
            Exists(
                TrainingRecord.objects.filter(
                    peer_id=OuterRef("pk"), kind=TrainingKind.CHILD_PROTECTION
                )
            )
        ),
    }


def flagged_condition(organisation, *, today=None) -> Q:
    """The peers "Needs attention" names: a flag of peer care's own (``flag_conditions``) or
    of a section (their ``flagged`` conditions)."""
    flagged = Q()
    for condition in flag_conditions(organisation, today=today).values():
        flagged |= condition
    for condition in extensions.section_flagged(organisation):
        flagged |= Q(condition)
    return flagged


# How many flagged peers the start page and peer care's overview name before they link to all
# of them (``peercare_attention``, a page at a time).
ATTENTION_SHOWN = 20


@dataclass
class Attention:
    """ "Needs attention": ``rows`` of the flagged peers shown, ``count`` of every flagged peer."""

    rows: list
    count: int


def flagged_peer_ids(organisation, *, today=None) -> list[int]:
    """The ids of every flagged peer, by name: one query finds them among every peer
    (``flagged_condition``). The condition is only filtered on: annotated as well (to tell
    flagged peers from others in the same rows), Django compiled it and PostgreSQL evaluated it
    twice, for the SELECT and for the WHERE (half the start page's time in a big municipality).
    Its SQL depends only on the organisation, the day, the time zone and the flagging sections:
    it is compiled once for them (``lib.compiled``), its rows are read at every call. The name
    each is ordered by is read for the flagged peers only: joined, PostgreSQL read every
    user's row to hash them."""
    today = today or timezone.localdate()

    def build():
        name = User.objects.filter(pk=OuterRef("user_id")).values("full_name")
        return (
            Peer.objects.filter(organisation=organisation, status__in=CARED_FOR_STATUSES)
            .filter(flagged_condition(organisation, today=today))
            .order_by(Subquery(name), "pk")
            .values_list("pk")
        )

    key = (
        "peercare.flagged_peer_ids",
        organisation.pk,
        today,
        timezone.get_current_timezone_name(),
        extensions.flagging_sections(),
    )
    # Planned for the organisation and the day: kept, the big municipality's plan took 7 ms
    # instead of 4 (lib.planning).
    with planned_for_values(Peer):
        return [pk for (pk,) in compiled_values(Peer, key, build)]


def peers_on_a_break(organisation):
    return Peer.objects.filter(organisation=organisation, status=PeerStatus.PAUSED)


@dataclass
class FlaggedPeer:
    """A peer as a list of flags shows them (the start page, "Needs attention"): the peer and
    their flags, nothing of the rest of their care."""

    peer: Peer
    flags: list
    other_flags: list


# The columns a flagged peer's row reads (the flags' rules, the list, the audit entry).
FLAGGED_PEER_FIELDS = (
    "id",
    "public_id",
    "organisation_id",
    "status",
    "created_at",
    "last_supervised_on",
    "user_id",
)
FLAGGED_USER_FIELDS = ("id", "public_id", "full_name")


def _flagged_peers(organisation, ids: list[int]) -> dict[int, Peer]:
    """The peers ``ids`` of the organisation with their users' names, each with its fewest
    supervision weeks (``care_weeks``, None for the default) and whether a programme of theirs
    works with children (``works_with_children``), computed by the database with the
    expressions of ``flag_conditions``. Its SQL depends on the organisation and the number of
    ids only: compiled once for them (``lib.compiled``), the ids its arguments."""

    def build(*ids):
        return (
            Peer.objects.filter(organisation=organisation, pk__in=ids)
            .values_list(*FLAGGED_PEER_FIELDS, *(f"user__{name}" for name in FLAGGED_USER_FIELDS))
            .annotate(care_weeks=_peer_weeks(), works_with_children=_works_with_children())
        )

    key = ("peercare.flagged_peers", organisation.pk, len(ids))
    using = router.db_for_read(Peer)
    split = len(FLAGGED_PEER_FIELDS)
    users = split + len(FLAGGED_USER_FIELDS)
    peers = {}
    with planned_for_values(Peer):
        rows = compiled_values(Peer, key, build, tuple(ids))
    for row in rows:
        peer = instance(Peer, using, FLAGGED_PEER_FIELDS, row[:split])
        peer.user = instance(User, using, FLAGGED_USER_FIELDS, row[split:users])
        peer.care_weeks, peer.works_with_children = row[users:]
        peers[peer.pk] = peer
    return peers


def flagged_rows(organisation, ids, *, today=None) -> list[FlaggedPeer]:
    """The flags of the peers ``ids`` (``flagged_peer_ids``), in that order, those with a flag:
    the rules of ``_flags`` on what they need alone (``_flagged_peers``), then their training
    records and the sections' labels: three queries, never their programmes, role
    confirmations, supervisors or sessions."""
    today = today or timezone.localdate()
    ids = list(ids)
    if not ids:
        return []
    peers = _flagged_peers(organisation, ids)
    records = _records(organisation, ids)
    other = extensions.section_flags(organisation, ids)
    rows = []
    for pk in ids:
        peer = peers.get(pk)
        if peer is None:
            continue
        weeks = DEFAULT_SUPERVISION_WEEKS if peer.care_weeks is None else peer.care_weeks
        anchor, due_on, overdue = _supervision_due(peer, weeks, today)
        row = FlaggedPeer(
            peer=peer,
            flags=_flags(
                peer,
                anchor=anchor,
                due_on=due_on,
                overdue=overdue,
                current_records=_current(records.get(pk, [])),
                needs_child_protection=peer.works_with_children,
                today=today,
            ),
            other_flags=other.get(pk, []),
        )
        if row.flags or row.other_flags:
            rows.append(row)
    return rows


def label_rows(rows) -> None:
    """Set each peer-care row's ``url`` (the peer's page) and ``status_label``, the route and
    the labels read once for all the rows, not per row in the template."""
    peer_url = public_id_url("peercare_peer")
    labels = choice_label_map(PeerStatus)
    for row in rows:
        row.url = peer_url(row.peer.public_id)
        row.status_label = labels.get(row.peer.status, row.peer.status)


def needs_attention(organisation, *, limit=None, today=None) -> Attention:
    """The rows of the flagged peers (the first ``limit`` of them, by name) and how many peers
    are flagged."""
    ids = flagged_peer_ids(organisation, today=today)
    shown = ids if limit is None else ids[:limit]
    return Attention(flagged_rows(organisation, shown, today=today), len(ids))


def organisation_flags(organisation, *, today=None) -> list[Flag]:
    return [flag for row in needs_attention(organisation, today=today).rows for flag in row.flags]


def supervisees(organisation, supervisor):
    """The peers assigned to ``supervisor``, by name, ready for ``peer_care_rows``."""
    return coverage_peers(organisation).filter(supervisor_assignment__supervisor=supervisor)


def pending_proposals_of_paused_peers(organisation):
    """Proposals still waiting while the peer is on a break: shown to the coordinator, who
    decides whether to withdraw them (nothing is withdrawn or deleted by itself)."""
    return (
        Match.objects.filter(
            organisation=organisation,
            status__in=PENDING_STATUSES,
            peer__status=PeerStatus.PAUSED,
        )
        # Only what the overview shows of a proposal (its link, status and day, the peer's
        # name): no join to the citizen or the programme, no peer's JSON columns decoded.
        .select_related("peer__user")
        .only("public_id", "status", "proposed_at", "peer__user__full_name")
        .order_by("proposed_at", "pk")
    )


def pending_proposals_of_peer(peer):
    return Match.objects.filter(peer=peer, status__in=PENDING_STATUSES)


def confirmed_versions(peer) -> set[tuple[int, int]]:
    return set(RoleConfirmation.objects.filter(peer=peer).values_list("programme_id", "version"))


def pause_log(peer):
    return PauseLogEntry.objects.filter(peer=peer).select_related("actor")


def latest_pause(peer) -> PauseLogEntry | None:
    return PauseLogEntry.objects.filter(peer=peer).first()


def recent_breaks(organisation, *, limit=20):
    return (
        PauseLogEntry.objects.filter(organisation=organisation, action=PauseAction.PAUSED)
        .select_related("peer__user")
        # What the overview shows of a break: no peer's JSON columns decoded.
        .only("created_at", "reason", "peer__user__full_name")
        .order_by("-created_at", "-pk")[:limit]
    )


def training_of(peer):
    return TrainingRecord.objects.filter(peer=peer).select_related("recorded_by")


def supervisor_choices(organisation) -> list:
    """Who may be a peer's supervisor: the members holding ``supervise_peers``."""
    return [member.user for member in active_members_holding(organisation, "supervise_peers")]


# Supervision sessions and notes


def sessions_of_supervisor(organisation, supervisor):
    return SupervisionSession.objects.filter(organisation=organisation, supervisor=supervisor)


def with_attendee_names(sessions: list[SupervisionSession]) -> list[SupervisionSession]:
    """Set ``attendee_names`` on each session: its attendees' names, by name, read in one query
    of names only (no peer or user rows built: a page of fifty group supervisions names about
    a thousand peers)."""
    names: dict[int, list[str]] = {session.pk: [] for session in sessions}
    if names:
        for session_id, name in (
            SupervisionSession.attendees.through.objects.filter(
                supervisionsession_id__in=list(names)
            )
            .order_by("peer__user__full_name", "peer_id")
            .values_list("supervisionsession_id", "peer__user__full_name")
        ):
            names[session_id].append(name)
    for session in sessions:
        session.attendee_names = names[session.pk]
    return sessions


def sessions_of_peer(peer):
    """The sessions the peer attended (their dates and kinds; never the other attendees)."""
    return SupervisionSession.objects.filter(attendees=peer).select_related("supervisor")


def notes_for_supervisor(session):
    """All notes of the session: the supervisor wrote or may read each of them."""
    return session.notes.select_related("peer__user", "author")


def notes_for_peer(session, peer):
    """The peer's own notes and the group's notes; never another attendee's."""
    return session.notes.filter(Q(peer=peer) | Q(peer__isnull=True)).select_related("author")


def coverage_dates(peer, *, limit=12) -> list[date]:
    """Dates only: what coordinators and managers see of a peer's supervision."""
    return list(
        SupervisionSession.objects.filter(attendees=peer)
        .order_by("-held_on")
        .values_list("held_on", flat=True)[:limit]
    )


# Pathways


def pathway_of(peer):
    return PathwayEntry.objects.filter(peer=peer)


# Load


def month_bounds(month: date) -> tuple[date, date]:
    """The first and the last day of ``month``'s month."""
    first, following = days.month_bounds(month)
    return first, following - timedelta(days=1)


def load_rows(organisation, month: date) -> tuple[list, list[dict]]:
    """The registered load figures per peer for the month, with the total against capacity."""
    peers = list(peers_cared_for(organisation))
    start, end = month_bounds(month)
    sources = extensions.load_sources()
    figures = load.load_figures(organisation, [peer.pk for peer in peers], start, end)
    rows = []
    for peer in peers:
        values = [figures[source.key].get(peer.pk, 0) for source in sources]
        taken = sum(
            value
            for source, value in zip(sources, values, strict=True)
            if source.counts_against_capacity
        )
        rows.append(
            {
                "peer": peer,
                "values": values,
                "taken": taken,
                "over": taken > peer.capacity,
                "full": taken >= peer.capacity,
            }
        )
    return sources, rows


def expired_credentials(organisation, peer_ids) -> dict[int, list[str]]:
    """Matching's caution source: peers whose current credential (the latest of its kind) has
    expired. One query however many peers are asked about (``_current_records``, the rule of
    ``_flags``), compiled once per organisation, day and number of peers (``lib.compiled``:
    building it cost 5 ms of Python on every request's matching page), the peers' ids its
    arguments."""
    peer_ids = tuple(peer_ids)
    if not peer_ids:
        return {}
    today = timezone.localdate()

    def build(*ids):
        return (
            _current_records()
            .filter(organisation=organisation, peer_id__in=ids, expires_on__lt=today)
            .order_by()
            .values_list("peer_id")
            .distinct()
        )

    key = ("peercare.expired_credentials", organisation.pk, today.isoformat(), len(peer_ids))
    rows = compiled_values(TrainingRecord, key, build, peer_ids)
    return {peer_id: ["credential_expired"] for (peer_id,) in rows}
