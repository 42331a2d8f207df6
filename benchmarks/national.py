"""A national installation of Brobyg as invented data, for the page and load benchmarks.

At ``scale=1.0`` (the figures of issue 23): 24 organisations, 100,000 citizens, 10,000 peers,
about 2 million support sessions, 5 million questionnaire answers (the citizens' CHIME check-ins
and the peers' own check-ins, each with its scores), a year of peer care (group supervision,
training records) and 8 million audit entries. One big
municipality ("Storby") holds a fifth of the people (20,000 citizens, 2,000 peers, about 3,500
open requests) and 5 million of the audit entries; one small municipality ("Lilleby") is a hundred
times smaller than it, so a benchmark can compare the two in the same run. The other 22 share the
rest.

Rows are written with explicit ids: ``COPY`` on PostgreSQL, ``executemany`` on SQLite. Each
table's columns and defaults are read from its model (``Table``), so a new column with a
default does not break the loader. Only the role users a benchmark logs in as are made through
the ORM, with a password and an authenticator (``PASSWORD``, ``brobyg.test.TOTP_SECRET``).
"""

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

BATCH = 50_000
PASSWORD = "benchmark-password-1"
BIG, SMALL = "Storby Kommune", "Lilleby Kommune"
ROLES = (
    "admin",
    "coordinator",
    "manager",
    "supervisor",
    "referrer",
    "evaluator",
    "privacy_officer",
    "peer",
)
# National totals at scale 1.0.
CITIZENS = 100_000
PEERS = 10_000
SESSIONS = 2_000_000
ANSWERS = 5_000_000
AUDIT = 8_000_000
BIG_SHARE = 0.2  # of people, sessions and answers
BIG_AUDIT_SHARE = 0.625  # 5 of the 8 million audit entries
SMALL_SHARE = BIG_SHARE / 100
OTHERS = 22
# A request's status: open ones (new, screened, waiting) are about 17 % (3,500 of 20,000).
REQUEST_STATUSES = (
    ["new"] * 5 + ["screened"] * 4 + ["waiting"] * 8 + ["matched"] * 60 + ["withdrawn"] * 8
)
REQUEST_STATUSES += ["referred_elsewhere"] * 8 + ["declined"] * 7
SESSION_FORMS = ["in_person"] * 6 + ["phone"] * 2 + ["video", "chat", "walk", "walk"]
SESSION_KINDS = ["conversation"] * 6 + ["activity"] * 3 + ["accompaniment"] * 2 + ["bridge"]
# Peers in no supervision for the last 3 months (overdue, with 6 weeks between supervisions).
OVERDUE_SHARE = 0.08
AUDIT_ACTIONS = ["read"] * 14 + ["search"] * 2 + ["create", "update", "login", "logout"]


class Table:
    """Rows for one model's table, with its columns and defaults read from the model."""

    def __init__(self, model, connection, rng: random.Random, now: datetime):
        self.model, self.connection, self.rng = model, connection, rng
        self.fields = [f for f in model._meta.concrete_fields if not f.generated]
        self.columns = [f.column for f in self.fields]
        self.position = {}
        for index, f in enumerate(self.fields):
            self.position[f.attname] = index
            self.position[f.name] = index
        sqlite = connection.vendor == "sqlite"
        self.template, self.fresh, self.prep = [], [], []
        for index, f in enumerate(self.fields):
            kind = f.get_internal_type()
            if kind == "UUIDField":
                self.prep.append((index, (lambda v: v.hex) if sqlite else None))
            elif kind == "DateTimeField" and sqlite:
                self.prep.append((index, connection.ops.adapt_datetimefield_value))
            elif kind == "DateField" and sqlite:
                self.prep.append((index, connection.ops.adapt_datefield_value))
            elif kind == "JSONField":
                self.prep.append((index, lambda v: v if isinstance(v, str) else json.dumps(v)))
            self.template.append(self._default(f, kind, now))
            if not f.is_relation and not f.primary_key and (kind == "UUIDField" or f.unique):
                self.fresh.append((index, kind))
        self.prep = [(index, function) for index, function in self.prep if function is not None]
        self.rows: list[list] = []
        with connection.cursor() as cursor:
            pk = model._meta.pk.column
            cursor.execute(f"SELECT MAX({pk}) FROM {model._meta.db_table}")  # noqa: S608
            self.next_id = (cursor.fetchone()[0] or 0) + 1
        self.count = 0

    @staticmethod
    def _default(f, kind, now):
        if f.primary_key:
            return None
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        if f.has_default():
            value = f.default() if callable(f.default) else f.default
            if isinstance(value, datetime):
                return now
            return value
        if f.null:
            return None
        if kind in ("CharField", "TextField", "EmailField"):
            return ""
        return None

    def add(self, **values) -> int:
        row = list(self.template)
        for index, kind in self.fresh:
            row[index] = (
                uuid.UUID(int=self.rng.getrandbits(128))
                if kind == "UUIDField"
                else f"{self.rng.getrandbits(128):032x}"
            )
        for name, value in values.items():
            row[self.position[name]] = value
        pk = self.position[self.model._meta.pk.attname]
        if row[pk] is None:
            row[pk] = self.next_id
        self.next_id = max(self.next_id, row[pk]) + 1
        for index, function in self.prep:
            if row[index] is not None:
                row[index] = function(row[index])
        self.rows.append(row)
        self.last = row
        self.count += 1
        if len(self.rows) >= BATCH:
            self.flush()
        return row[pk]

    def flush(self) -> None:
        if not self.rows:
            return
        table, columns = self.model._meta.db_table, ", ".join(self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, self.rows)
        self.rows.clear()


@dataclass
class Organisation:
    """What the loader made for one organisation; ``users`` holds the role users by role."""

    pk: int
    name: str
    share: float
    audit_share: float
    programmes: list[int] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)
    staff: list[int] = field(default_factory=list)
    peers: list[int] = field(default_factory=list)
    peer_users: list[int] = field(default_factory=list)
    citizens: list[int] = field(default_factory=list)
    citizen_uuids: list[str] = field(default_factory=list)


def organisations_plan() -> list[tuple[str, float, float]]:
    """(name, share of people, share of audit entries) for the 24 organisations."""
    rest, audit_rest = 1 - BIG_SHARE - SMALL_SHARE, 1 - BIG_AUDIT_SHARE - SMALL_SHARE
    plan = [(BIG, BIG_SHARE, BIG_AUDIT_SHARE), (SMALL, SMALL_SHARE, SMALL_SHARE)]
    plan += [(f"Kommune {n + 1:02d}", rest / OTHERS, audit_rest / OTHERS) for n in range(OTHERS)]
    return plan


def build(scale: float = 1.0, seed: int = 2026, today: date | None = None, log=print) -> dict:
    """Load the installation into the (migrated, empty) default database; returns
    ``{"big": Organisation, "small": Organisation, "all": [...]}``."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from brobyg.audit.models import LogEntry
    from brobyg.groups.models import GroupCourse, GroupSession, Participant
    from brobyg.intake.models import SupportRequest
    from brobyg.matching.models import Match
    from brobyg.orgs import models as orgs
    from brobyg.outcomes.loading import instruments_load_shipped
    from brobyg.outcomes.models import Instrument
    from brobyg.people.models import Citizen, Peer
    from brobyg.support.models import Course, Session
    from brobyg.test import TOTP_SECRET

    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()

    def table(model):
        return Table(model, connection, rng, now)

    def moment(day: date, hour: int | None = None) -> datetime:
        return datetime.combine(day, time(hour if hour is not None else rng.randint(8, 19)), UTC)

    def day_in(days: int = 3 * 365, before: date | None = None) -> date:
        return (before or today) - timedelta(days=rng.randrange(days))

    organisations: list[Organisation] = []
    password = make_password(PASSWORD)  # hashed once: hashing takes a quarter of a second
    with scopes_disabled(), transaction.atomic():
        instruments_load_shipped()
        chime = Instrument.objects.get(code="brobyg-chime", is_current=True)
        checkin = Instrument.objects.get(code="peer-checkin", is_current=True)
        for name, share, audit_share in organisations_plan():
            organisation = orgs.Organisation.objects.create(name=name, kind="municipality")
            made = Organisation(organisation.pk, name, share, audit_share)
            for kind, support in (("Peer-støtte", "paid"), ("Frivillig peer-støtte", "volunteer")):
                made.programmes.append(
                    orgs.Programme.objects.create(
                        organisation=organisation,
                        name=kind,
                        support_type=support,
                        model="separate",
                        peer_role="special",
                        purposes=["wellbeing", "community"],
                        forms=["individual", "group"],
                        minimum_age=18,
                        legal_basis="public_task",
                    ).pk
                )
            for unit_kind in ("district_psychiatry", "activity_centre", "job_centre"):
                made.units.append(
                    orgs.Unit.objects.create(
                        organisation=organisation, name=f"{unit_kind} {name}", kind=unit_kind
                    ).pk
                )
            for role in ROLES:
                user = orgs.User.objects.create(
                    email=f"{role}@org{organisation.pk}.bench",
                    full_name=f"{role} {name}",
                    password=password,
                )
                TOTP.activate(user, TOTP_SECRET)
                orgs.Membership.objects.create(organisation=organisation, user=user, roles=[role])
                made.users[role] = user.pk
                if role == "peer":
                    peer = Peer.objects.create(
                        organisation=organisation, user=user, kind="paid", status="active"
                    )
                    peer.programmes.set(made.programmes)
            organisations.append(made)
        users, memberships = table(orgs.User), table(orgs.Membership)
        peers, peer_programmes = table(Peer), table(Peer.programmes.through)
        for made in organisations:
            n_peers = max(10, round(PEERS * scale * made.share))
            staff = max(2, n_peers // 100)
            for number in range(staff):
                user = users.add(
                    email=f"staff{number}@org{made.pk}.bench",
                    full_name=f"Koordinator {number}",
                    password="!",
                )
                role = ["coordinator", "referrer", "supervisor"][number % 3]
                memberships.add(user_id=user, organisation_id=made.pk, roles=[role])
                made.staff.append(user)
            for number in range(n_peers):
                user = users.add(
                    email=f"peer{number}@org{made.pk}.bench",
                    full_name=f"Peer {number}",
                    password="!",
                )
                memberships.add(user_id=user, organisation_id=made.pk, roles=["peer"])
                status = rng.choices(["active", "paused", "ended"], [90, 5, 5])[0]
                peer = peers.add(
                    organisation_id=made.pk,
                    user_id=user,
                    kind=rng.choice(["paid", "volunteer"]),
                    status=status,
                    capacity=rng.randint(2, 5),
                    municipalities=[made.name],
                    forms=["individual"],
                    languages=["da"],
                )
                peer_programmes.add(peer_id=peer, programme_id=rng.choice(made.programmes))
                made.peers.append(peer)
                made.peer_users.append(user)
        for writer in (users, memberships, peers, peer_programmes):
            writer.flush()
        log(f"# organisations, {users.count} users, {peers.count} peers")

        citizens, requests = table(Citizen), table(SupportRequest)
        public_id = citizens.position["public_id"]
        matches, courses, course_peers = table(Match), table(Course), table(Course.peers.through)
        course_of: list[tuple[int, int, int, int]] = []  # (course, organisation, peer, citizen)
        for made in organisations:
            for number in range(max(20, round(CITIZENS * scale * made.share))):
                created = day_in()
                citizen = citizens.add(
                    organisation_id=made.pk,
                    name=f"Borger {number}",
                    phone=f"2{number:07d}"[:8],
                    birth_year=rng.randint(1950, 2006),
                    created_at=moment(created),
                )
                made.citizens.append(citizen)
                made.citizen_uuids.append(str(uuid.UUID(str(citizens.last[public_id]))))
                status = rng.choice(REQUEST_STATUSES)
                programme = rng.choice(made.programmes)
                request = requests.add(
                    organisation_id=made.pk,
                    programme_id=programme,
                    citizen_id=citizen,
                    source=rng.choice(["self_referral", "staff_referral"]),
                    purposes=["wellbeing"],
                    forms=["individual"],
                    status=status,
                    status_changed_at=moment(created),
                    created_at=moment(created),
                    link_expires_at=moment(created + timedelta(days=365)),
                )
                if status != "matched":
                    continue
                peer = rng.choice(made.peers)
                started = created + timedelta(days=rng.randint(5, 60))
                ended = rng.random() < 0.5 and started + timedelta(days=180) < today
                match = matches.add(
                    organisation_id=made.pk,
                    programme_id=programme,
                    support_request_id=request,
                    citizen_id=citizen,
                    peer_id=peer,
                    status="ended" if ended else "active",
                    score=rng.uniform(40, 95),
                    proposed_by_id=made.users["coordinator"],
                    proposed_at=moment(started),
                    activated_at=moment(started),
                    ended_at=moment(started + timedelta(days=180)) if ended else None,
                )
                course = courses.add(
                    organisation_id=made.pk,
                    programme_id=programme,
                    citizen_id=citizen,
                    match_id=match,
                    support_request_id=request,
                    status="ended" if ended else "active",
                    started_on=min(started, today),
                    ended_on=started + timedelta(days=180) if ended else None,
                    end_reason="goals_reached" if ended else "",
                    form="individual",
                )
                course_peers.add(course_id=course, peer_id=peer)
                course_of.append((course, made.pk, peer, citizen))
        for writer in (citizens, requests, matches, courses, course_peers):
            writer.flush()
        log(f"# {citizens.count} citizens, {requests.count} requests, {courses.count} courses")

        sessions = table(Session)
        for _number in range(round(SESSIONS * scale)):
            course, organisation, peer, _citizen = course_of[rng.randrange(len(course_of))]
            sessions.add(
                organisation_id=organisation,
                course_id=course,
                status="held",
                starts_at=moment(day_in()),
                duration_minutes=rng.choice((45, 60, 60, 90)),
                form=rng.choice(SESSION_FORMS),
                kind=rng.choice(SESSION_KINDS),
                peer_id=peer,
            )
        sessions.flush()
        log(f"# {sessions.count} sessions")

        groups, group_sessions, participants = (
            table(GroupCourse),
            table(GroupSession),
            table(Participant),
        )
        for made in organisations:
            for number in range(max(2, len(made.citizens) // 200)):
                first = moment(day_in(365), 17)
                group = groups.add(
                    organisation_id=made.pk,
                    programme_id=made.programmes[0],
                    title=f"Recovery-gruppe {number}",
                    kind="recovery_course",
                    tool="five_ways",
                    setting="inside",
                    place_kind="unit",
                    unit_id=made.units[0],
                    capacity=12,
                    is_open=False,
                    public_signup=False,
                    first_session_at=first,
                    session_count=10,
                    interval_days=7,
                    duration_minutes=120,
                    status="running" if first.date() + timedelta(days=70) > today else "finished",
                )
                for nth in range(10):
                    starts = first + timedelta(days=7 * nth)
                    group_sessions.add(
                        organisation_id=made.pk,
                        group_id=group,
                        number=nth + 1,
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=2),
                    )
                for citizen in rng.sample(made.citizens, min(8, len(made.citizens))):
                    participants.add(
                        organisation_id=made.pk,
                        group_id=group,
                        kind="citizen",
                        citizen_id=citizen,
                        status="enrolled",
                        source="coordinator",
                    )
        for writer in (groups, group_sessions, participants):
            writer.flush()
        log(f"# {groups.count} groups")

        _answers(table, organisations, chime, checkin, scale, rng, moment, day_in, log)
        _peer_care(table, organisations, rng, today, log)
        entries = table(LogEntry)
        for made in organisations:
            actors = made.staff + made.peer_users[:200] + list(made.users.values())
            for _number in range(round(AUDIT * scale * made.audit_share)):
                citizen = rng.choice(made.citizen_uuids)
                entries.add(
                    created_at=moment(day_in(365)) + timedelta(minutes=rng.randrange(600)),
                    actor_id=rng.choice(actors),
                    organisation_id=made.pk,
                    action=rng.choice(AUDIT_ACTIONS),
                    object_type="citizen",
                    object_id=citizen,
                    subject_type="citizen",
                    subject_id=citizen,
                    reason="case work",
                )
        entries.flush()
        log(f"# {entries.count} audit entries")
        _reset_sequences(connection)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    by_name = {made.name: made for made in organisations}
    return {"big": by_name[BIG], "small": by_name[SMALL], "all": organisations}


def _answers(table, organisations, chime, checkin, scale, rng, moment, day_in, log) -> None:
    """The citizens' CHIME check-ins (a fifth) and the peers' own check-ins, with scores
    from a pool of scored answer patterns."""
    from brobyg.outcomes.models import Response, Score
    from brobyg.outcomes.scoring import score

    responses, scores = table(Response), table(Score)

    def patterns(instrument) -> list:
        spec, pool = instrument.spec, []
        for _pattern in range(500):
            level = rng.uniform(0.1, 0.95)
            values = {}
            for item in spec.scored_items:
                value = round(4 * min(1, max(0, rng.gauss(level, 0.18))))
                values[item.id] = item.scale.reverse(value) if item.reverse else value
            pool.append((values, score(spec, values)))
        return pool

    pools = {chime.pk: patterns(chime), checkin.pk: patterns(checkin)}
    total = round(ANSWERS * scale)
    for made in organisations:
        share = round(total * made.share)
        for number in range(share):
            citizen_answer = number % 5 == 0
            instrument = chime if citizen_answer else checkin
            values, results = rng.choice(pools[instrument.pk])
            day = day_in()
            stamp = moment(day)
            who = (
                {"citizen_id": rng.choice(made.citizens), "respondent_kind": "citizen"}
                if citizen_answer
                else {
                    "peer_id": made.peers[number % len(made.peers)],
                    "user_id": made.peer_users[number % len(made.peer_users)],
                    "respondent_kind": "peer",
                }
            )
            response = responses.add(
                organisation_id=made.pk,
                instrument_id=instrument.pk,
                timepoint="checkin",
                answers=values,
                mode="self",
                started_at=stamp,
                completed_at=stamp,
                answered_on=day,
                total=results["total"].value,
                **who,
            )
            for result in results.values():
                scores.add(
                    organisation_id=made.pk,
                    response_id=response,
                    scale=result.scale,
                    value=result.value,
                    raw=result.raw,
                    answered=result.answered,
                    missing=result.missing,
                    prorated=result.prorated,
                )
    responses.flush()
    scores.flush()
    log(f"# {responses.count} answers, {scores.count} scores")


def _peer_care(table, organisations, rng, today: date, log) -> None:
    """A year of peer care: each programme's settings (supervision every 6 weeks), a group
    supervision a week for each hundred peers, each peer in one about every 5 weeks (and
    ``OVERDUE_SHARE`` of them in none for the last 3 months), and each peer's two education
    modules and a first-aid credential valid for 2 years (some expired or expiring)."""
    from brobyg.peercare.models import ProgrammePeerCare, SupervisionSession, TrainingRecord
    from brobyg.peercare.services import last_supervision_recount
    from brobyg.people.models import Peer

    settings, supervisions = table(ProgrammePeerCare), table(SupervisionSession)
    attendees, records = table(SupervisionSession.attendees.through), table(TrainingRecord)
    for made in organisations:
        supervisor = made.users["supervisor"]
        for programme in made.programmes:
            settings.add(
                organisation_id=made.pk,
                programme_id=programme,
                supervision_weeks=6,
                updated_by_id=supervisor,
            )
        per_week = max(1, len(made.peers) // 100)
        weeks = [
            [
                supervisions.add(
                    organisation_id=made.pk,
                    kind="group",
                    supervisor_id=supervisor,
                    held_on=today - timedelta(days=7 * week + rng.randrange(5)),
                    duration_minutes=90,
                    created_by_id=supervisor,
                )
                for _number in range(per_week)
            ]
            for week in range(52)
        ]
        for number, peer in enumerate(made.peers):
            overdue = rng.random() < OVERDUE_SHARE
            for week in range(number % 5, 52, 5):
                if not (overdue and week < 13):
                    attendees.add(supervisionsession_id=rng.choice(weeks[week]), peer_id=peer)
            for title in ("Peer-uddannelse modul 1", "Peer-uddannelse modul 2"):
                records.add(
                    organisation_id=made.pk,
                    peer_id=peer,
                    kind="education",
                    title=title,
                    completed_on=today - timedelta(days=rng.randrange(365, 1095)),
                    recorded_by_id=supervisor,
                )
            completed = today - timedelta(days=rng.randrange(760))
            records.add(
                organisation_id=made.pk,
                peer_id=peer,
                kind="credential",
                title="Førstehjælp",
                completed_on=completed,
                expires_on=completed + timedelta(days=730),
                recorded_by_id=supervisor,
            )
    for writer in (settings, supervisions, attendees, records):
        writer.flush()
    last_supervision_recount(Peer.objects.all())
    log(f"# {supervisions.count} supervisions, {attendees.count} attendances")


def _reset_sequences(connection) -> None:
    """After explicit ids, the next id the app makes must follow them (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
