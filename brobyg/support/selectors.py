"""Reads for support courses: who sees which course, quiet courses, calendars, hand-overs,
follow-ups, and what other apps count (load, the referrer's course status)."""

from datetime import datetime, timedelta

from django.db import router
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from brobyg.lib.compiled import compiled_values, instance
from brobyg.lib.days import MidnightUTC, start_of_day
from brobyg.lib.planning import planned_for_values
from brobyg.lib.rows import choice_label_map, public_id_url
from brobyg.orgs.permissions import member_permissions, visible_by_table
from brobyg.people.models import Citizen, ConsentPurpose
from brobyg.people.selectors import has_consent
from brobyg.support.calendar import CalendarEntry
from brobyg.support.models import (
    DEFAULT_INACTIVITY_DAYS,
    LIVE_COURSE_STATUSES,
    OPEN_HANDOVER_STATUSES,
    Community,
    Course,
    CourseStatus,
    DropInCount,
    FollowUp,
    GoalVersion,
    Handover,
    Session,
    SessionStatus,
    SharedField,
    SupportSettings,
)


def courses_visible_to(membership):
    """``view_all_courses``: every course of the organisation; ``view_own_courses``: the courses
    the member is a peer on. Managers hold neither: they see figures, never courses."""
    return visible_by_table(
        Course.objects.filter(organisation=membership.organisation),
        membership,
        "view_all_courses",
        "view_own_courses",
        lambda courses: courses.filter(peers__user=membership.user).distinct(),
    )


def sent_handovers_visible_to(membership):
    """Hand-overs the organisation sent, seen from the sending side: those of a course the member
    sees, and with ``answer_handovers`` also those made within the organisation (both sides)."""
    organisation = membership.organisation
    visible = Q(from_course__in=courses_visible_to(membership))
    if "answer_handovers" in member_permissions(membership):
        visible |= Q(receiving_organisation=organisation)
    return Handover.objects.filter(visible, organisation=organisation).select_related(
        "from_course__citizen", "receiving_organisation", "receiving_programme"
    )


def received_handovers_visible_to(membership):
    """Hand-overs another organisation sent to this one: only with ``answer_handovers``."""
    if "answer_handovers" not in member_permissions(membership):
        return Handover.incoming.none()
    return Handover.incoming.filter(receiving_organisation=membership.organisation).select_related(
        "organisation", "receiving_programme", "to_course"
    )


def handover_side(handover, organisation) -> str:
    """ "sending", "receiving", or "internal" for a hand-over between two programmes of the
    organisation (both sides)."""
    if handover.organisation_id != organisation.pk:
        return "receiving"
    return "internal" if handover.receiving_organisation_id == organisation.pk else "sending"


def citizens_of_own_live_courses(membership):
    """people's visibility grant: a peer sees the citizens of their live courses."""
    return Course.objects.filter(
        organisation=membership.organisation,
        peers__user=membership.user,
        status__in=LIVE_COURSE_STATUSES,
    ).values("citizen_id")


def live_course_counts(organisation, peer_ids) -> dict[int, int]:
    """matching's held places: live courses per peer (a course with two peers counts for both).
    A peer's courses are of the peer's organisation (``check_peers``): saying so lets
    PostgreSQL read the organisation's live courses from their index (``course_list_order``)
    instead of looking up every course, live or ended, of each peer (a big municipality's
    programme: 5,600 courses for 900 peers; about 40 % less time). Each peer's course places are
    read from ``course_peers_by_peer`` alone (peer, course), not from the table's rows."""
    rows = (
        Course.peers.through.objects.filter(
            peer_id__in=peer_ids,
            course__organisation=organisation,
            course__status__in=LIVE_COURSE_STATUSES,
        )
        .values("peer_id")
        .annotate(n=Count("course_id"))
    )
    # Planned for the peers asked for (lib.planning): 2 ms instead of 4 on the big municipality.
    with planned_for_values(Course):
        return {row["peer_id"]: row["n"] for row in rows}


def _held_in_month(peer_ids, month_start, month_end):
    return Session.objects.filter(
        peer_id__in=list(peer_ids),
        status=SessionStatus.HELD,
        starts_at__date__gte=month_start,
        starts_at__date__lte=month_end,
    ).values("peer_id")


def load_live_courses(organisation, peer_ids, month_start, month_end) -> dict[int, int]:
    """peercare's load figure: live courses now (the month does not matter)."""
    return live_course_counts(organisation, list(peer_ids))


def load_sessions(organisation, peer_ids, month_start, month_end) -> dict[int, int]:
    rows = _held_in_month(peer_ids, month_start, month_end).annotate(n=Count("pk"))
    return {row["peer_id"]: row["n"] for row in rows}


def load_hours(organisation, peer_ids, month_start, month_end) -> dict[int, float]:
    rows = _held_in_month(peer_ids, month_start, month_end).annotate(m=Sum("duration_minutes"))
    return {row["peer_id"]: round(row["m"] / 60, 1) for row in rows}


def inactivity_days(programme_ids) -> dict[int, int]:
    days = dict(
        SupportSettings.objects.filter(programme_id__in=list(programme_ids)).values_list(
            "programme_id", "inactivity_days"
        )
    )
    return days


def quiet_since(course: Course) -> datetime:
    if course.last_session_at is not None:
        return course.last_session_at
    return start_of_day(course.started_on)


def mark_quiet(courses, *, now=None) -> list[Course]:
    """Set ``is_quiet`` and ``quiet_days`` on each course: an active course without a held
    session for its programme's number of days (default 21) is quiet. Days are calendar days in
    local time, so a course turns quiet at midnight, not at the hour of its last session.
    Courses read ``with_inactivity_limit`` carry their programme's number of days; for the
    others it is read here."""
    courses = list(courses)
    today = timezone.localdate(now or timezone.now())
    unknown = {c.programme_id for c in courses if not hasattr(c, "inactivity_limit_days")}
    days = inactivity_days(unknown) if unknown else {}
    for course in courses:
        limit = getattr(course, "inactivity_limit_days", None)
        if limit is None:
            limit = days.get(course.programme_id, DEFAULT_INACTIVITY_DAYS)
        course.quiet_days = (today - timezone.localdate(quiet_since(course))).days
        course.inactivity_limit = limit
        course.is_quiet = course.status == CourseStatus.ACTIVE and course.quiet_days >= limit
    return courses


def _inactivity_limit():
    """The course's programme's number of days before it is quiet, as a database expression."""
    return Coalesce(
        F("programme__support_settings__inactivity_days"), Value(DEFAULT_INACTIVITY_DAYS)
    )


def with_inactivity_limit(courses):
    """Each course with its programme's number of days before it is quiet
    (``inactivity_limit_days``), read with the course through the programme's settings."""
    return courses.annotate(inactivity_limit_days=_inactivity_limit())


class DaysSpan(Func):
    """A number of days (an integer expression) as a duration, to compare with the difference
    of two dates: an interval on PostgreSQL, microseconds (Django's durations) on SQLite."""

    output_field = DurationField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="make_interval(days => %(expressions)s)")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s * 86400000000)")


def only_quiet(courses, *, now=None):
    """The ``courses`` that ``mark_quiet`` marks quiet, found by the database in the same query:
    active, and the local day of the last held session (or the start) at least the programme's
    number of days before today."""
    today = timezone.localdate(now or timezone.now())
    quiet_day = Coalesce(TruncDate("last_session_at"), F("started_on"))
    return courses.alias(
        quiet_limit=_inactivity_limit(),
        quiet_for=ExpressionWrapper(Value(today) - quiet_day, output_field=DurationField()),
        quiet_from=DaysSpan("quiet_limit"),
    ).filter(status=CourseStatus.ACTIVE, quiet_for__gte=F("quiet_from"))


# What a list of courses shows and marks (the list, the start page's quiet courses): only these
# columns are read, so a page of courses does not decode every citizen's and programme's row.
LISTED_COURSE_FIELDS = (
    "public_id",
    "status",
    "started_on",
    "last_session_at",
    "programme",
    "programme__name",
    "programme__public_id",
    "citizen",
    "citizen__public_id",
    "citizen__name",
)


def with_peer_names(courses: list[Course]) -> list[Course]:
    """Set ``peer_names`` on each course: its peers' names, in the order they were added to the
    course, read in one query of names only (no peer or user rows built, as the start page's
    quiet courses show them)."""
    names: dict[int, list[str]] = {course.pk: [] for course in courses}
    if names:
        for course_id, name in (
            Course.peers.through.objects.filter(course_id__in=list(names))
            .order_by("pk")
            .values_list("course_id", "peer__user__full_name")
        ):
            names[course_id].append(name)
    for course in courses:
        course.peer_names = names[course.pk]
    return courses


def course_list(courses, *, status="", programme=None, quiet_only=False):
    """The courses of the list, filtered and ordered in the database (the view shows a page of
    them and marks that page's quiet ones with ``mark_quiet``)."""
    courses = (
        with_inactivity_limit(
            _listed(courses, status=status, programme=programme, quiet_only=quiet_only)
        )
        .select_related("citizen", "programme")
        .only(*LISTED_COURSE_FIELDS)
    )
    return courses.order_by("status", "-started_on", "pk")


def _listed(courses, *, status="", programme=None, quiet_only=False):
    if status:
        courses = courses.filter(status=status)
    if programme is not None:
        courses = courses.filter(programme=programme)
    if quiet_only:
        courses = only_quiet(courses)
    return courses


def course_list_count(courses, *, live=False, status="", programme=None, quiet_only=False) -> int:
    """How many courses ``course_list`` lists (``live``: only active and paused ones), counted
    from the ``course_list_order`` index alone on PostgreSQL: the live statuses as values the
    index looks up (not every course of the organisation checked against "not ended"), and no
    join to the programmes' settings that only the rows' ``inactivity_limit_days`` needs
    (a big municipality's 7,000 live courses: 4.7 -> 1 ms)."""
    if live:
        courses = courses.filter(status__in=LIVE_COURSE_STATUSES)
    return _listed(courses, status=status, programme=programme, quiet_only=quiet_only).count()


def course_rows(courses) -> list[Course]:
    """A page of the course list ready to show: quiet ones marked (``mark_quiet``), the peers'
    names (``with_peer_names``), and each course's shown status (``shown_status``) and link
    (``url``) built with labels and a route read once per page, not per row."""
    courses = with_peer_names(mark_quiet(courses))
    statuses = choice_label_map(CourseStatus)
    planned = _("Planned")
    detail_url = public_id_url("support_course_detail")
    for course in courses:
        course.shown_status = planned if course.is_planned else statuses[course.status]
        course.url = detail_url(course.public_id)
    return courses


# The moment a course went quiet in the database (its last held session, else midnight UTC of
# its start), the order of the start page's quiet courses: the same expression as the partial
# index ``course_quiet_order`` on an organisation's active courses, so a big municipality's
# quietest courses are read from the index in their order, not sorted from all its courses.
QUIET_SINCE = Coalesce(F("last_session_at"), MidnightUTC(F("started_on")))


def quiet_courses(courses, *, limit: int | None = None) -> list[Course]:
    """Quiet courses, the longest quiet first: found, ordered and limited by the database in one
    query (their peers' names: ``with_peer_names``)."""
    quiet = (
        with_inactivity_limit(only_quiet(courses))
        .select_related("citizen", "programme")
        .only(*LISTED_COURSE_FIELDS, "nudged_at")
    )
    quiet = quiet.annotate(quiet_since=QUIET_SINCE).order_by("quiet_since", "pk")
    return mark_quiet(quiet[:limit] if limit is not None else quiet)


def current_goals(course) -> GoalVersion | None:
    return course.goal_versions.select_related("recorded_by", "carried_from").first()


def team_sharing_allowed(citizen) -> bool:
    return has_consent(citizen, ConsentPurpose.SHARE_WITH_TEAM)


def course_sessions(course):
    return course.sessions.select_related("peer__user", "recorded_by")


def next_planned(course) -> Session | None:
    return (
        course.sessions.filter(status=SessionStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )


# Hand-overs


def outgoing_handovers(organisation):
    return Handover.objects.filter(organisation=organisation).select_related(
        "from_course__citizen", "receiving_organisation", "receiving_programme"
    )


def incoming_handovers(organisation):
    """The receiving side's list: scoped through ``incoming``; the citizen is never joined in."""
    return Handover.incoming.filter(receiving_organisation=organisation).select_related(
        "organisation", "receiving_programme", "to_course"
    )


def shared_view(handover: Handover) -> list[tuple[str, str]]:
    """What the receiving side may read: the consented fields only, only while the hand-over is
    open (once accepted, the receiving side has its own record; withdrawn or declined, nothing)
    and only while the citizen's consent to share with that organisation stands."""
    from brobyg.support.services import sharing_stands

    if not handover.is_open or not sharing_stands(handover):
        return []
    with scopes_disabled():
        citizen = handover.from_course.citizen
        goals = handover.from_course.goal_versions.first()
    values = {
        SharedField.NAME: citizen.name,
        SharedField.CONTACT: " · ".join(filter(None, [citizen.phone, citizen.email])),
        SharedField.CONTACT_TIMES: citizen.contact_times,
        SharedField.AGE: str(citizen.birth_year or ""),
        SharedField.MUNICIPALITY: citizen.municipality,
        SharedField.LANGUAGES: ", ".join(citizen.languages),
        SharedField.GOALS: goals.text if goals else "",
        SharedField.NOTE: handover.note,
    }
    return [
        (SharedField(code).label, values[code])
        for code in SharedField.values
        if code in handover.shared_fields
    ]


def handover_citizen(handover: Handover):
    with scopes_disabled():
        return handover.from_course.citizen


def open_incoming(organisation):
    return Handover.incoming.filter(
        receiving_organisation=organisation, status__in=OPEN_HANDOVER_STATUSES
    )


# Follow-ups


def due_follow_ups(organisation, *, within_days=14):
    """Follow-ups due now or within two weeks and not yet recorded."""
    return (
        FollowUp.objects.filter(
            organisation=organisation,
            recorded_at__isnull=True,
            due_on__lte=timezone.localdate() + timedelta(days=within_days),
        )
        .select_related(
            "handover__to_course__citizen",
            "handover__receiving_programme",
            "community_link__course__citizen",
            "community_link__community",
        )
        .order_by("due_on", "pk")
    )


def follow_up_citizen(follow_up: FollowUp):
    if follow_up.community_link_id:
        return follow_up.community_link.course.citizen
    if follow_up.handover.to_course_id:
        return follow_up.handover.to_course.citizen
    return None


# Communities and drop-in


def communities_of(organisation, *, include_inactive=False):
    communities = Community.objects.filter(organisation=organisation)
    if not include_inactive:
        communities = communities.filter(is_active=True)
    return communities.annotate(
        connected=Count("links", filter=Q(links__left_on__isnull=True))
    ).order_by("name")


def drop_in_counts(organisation):
    return DropInCount.objects.filter(organisation=organisation).select_related(
        "unit", "programme", "recorded_by"
    )


# Calendar


# What a calendar entry shows of a session, and of its course and citizen (whose public id the
# audit log names).
CALENDAR_SESSION_FIELDS = ("public_id", "starts_at", "duration_minutes", "status", "kind", "place")
CALENDAR_CITIZEN_FIELDS = ("id", "public_id", "name")


def calendar_entries(membership, start: datetime, end: datetime) -> list[CalendarEntry]:
    """The calendar source for course sessions: planned and held sessions of the member's own
    courses. The feed title holds the citizen's initials only. Its SQL depends only on the
    organisation: it is compiled once for it (``lib.compiled``; building it cost more Python
    than the rest of the start page's week), the member and the moments being its arguments."""

    def build(user_pk, since, until):
        return (
            Session.objects.filter(
                organisation=membership.organisation,
                course__peers__user=user_pk,
                starts_at__gte=since,
                starts_at__lt=until,
            )
            .exclude(status=SessionStatus.CANCELLED)
            .order_by()
            .distinct()
            .values_list(
                *CALENDAR_SESSION_FIELDS,
                "course__public_id",
                *(f"course__citizen__{name}" for name in CALENDAR_CITIZEN_FIELDS),
            )
        )

    rows = compiled_values(
        Session,
        ("support.calendar_entries", membership.organisation_id),
        build,
        (membership.user_id, start, end),
    )
    using = router.db_for_read(Citizen)
    course_url = public_id_url("support_course_detail")
    split = len(CALENDAR_SESSION_FIELDS)
    entries = []
    for row in rows:
        public_id, starts_at, duration_minutes, status, kind, place = row[:split]
        citizen = instance(Citizen, using, CALENDAR_CITIZEN_FIELDS, row[split + 1 :])
        initials = initials_of(citizen.name)
        if status == SessionStatus.HELD:
            what = _("Session")
        elif kind == "bridge":
            what = _("Hand-over meeting")
        else:
            what = _("Appointment")
        entries.append(
            CalendarEntry(
                uid=f"session-{public_id}",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=duration_minutes),
                title=f"{what}: {citizen.name}",
                feed_title=f"{what}: {initials}",
                location=place,
                url=course_url(row[split]),
                kind=status,
                subject=citizen,
            )
        )
    return entries


def initials_of(name: str) -> str:
    parts = [part for part in name.replace("-", " ").split() if part[:1].isalpha()]
    return "".join(part[0].upper() + "." for part in parts[:3]) or "?"


def course_status_for_requests(requests) -> dict[int, str]:
    """For the referrer's list: the status of the course each request led to."""
    rows = Course.objects.filter(support_request__in=list(requests)).values_list(
        "support_request_id", "status"
    )
    return {request_id: status for request_id, status in rows}
