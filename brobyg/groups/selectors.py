"""Reads of group courses, and who sees what.

A coordinator sees every group of the organisation with its participants; a peer sees the
groups they facilitate (and a professional co-facilitator theirs), with the participants' names;
a manager sees every group, but as figures only: counts, attendance rates and evaluation shares,
never a participant's name.
"""

from collections import Counter
from datetime import timedelta

from django.db import router
from django.db.models import Count, Q
from django.utils import timezone

from brobyg.groups.models import (
    Attendance,
    GroupCourse,
    GroupKind,
    GroupSession,
    GroupStatus,
    Participant,
    ParticipantKind,
    ParticipantStatus,
)
from brobyg.lib.compiled import compiled_values, instance
from brobyg.lib.rows import choice_label_map, public_id_url
from brobyg.orgs.permissions import member_permissions, visible_by_table


def _facilitated_by(user) -> Q:
    return Q(facilitators__user=user) | Q(co_facilitator=user)


def groups_visible_to(membership):
    """``view_all_groups``: every group of the organisation; ``view_facilitated_groups``: the
    groups the member facilitates or co-facilitates."""
    return visible_by_table(
        GroupCourse.objects.filter(organisation=membership.organisation),
        membership,
        "view_all_groups",
        "view_facilitated_groups",
        lambda groups: groups.filter(_facilitated_by(membership.user)).distinct(),
    )


def groups_with_names_visible_to(membership):
    """The groups whose participants' names the member sees: with ``view_group_participants``
    every group they see, otherwise only those they facilitate. A manager sees the other groups
    as figures."""
    return visible_by_table(
        groups_visible_to(membership),
        membership,
        "view_group_participants",
        "view_facilitated_groups",
        lambda groups: groups.filter(_facilitated_by(membership.user)).distinct(),
    )


def is_facilitator(group: GroupCourse, user) -> bool:
    return group.co_facilitator_id == user.pk or group.facilitators.filter(user=user).exists()


def sees_participants(membership, group: GroupCourse) -> bool:
    """Names are for the coordinators and the group's own facilitators; a manager sees figures."""
    if "view_group_participants" in member_permissions(membership):
        return group.organisation_id == membership.organisation_id
    return groups_with_names_visible_to(membership).filter(pk=group.pk).exists()


# The columns a row of the group list shows (its link, title, kind, programme, first session,
# places and status): a group's description, place and settings, and its programme's JSON
# lists, are not read for the list.
LIST_FIELDS = (
    "public_id",
    "organisation_id",
    "title",
    "kind",
    "status",
    "first_session_at",
    "capacity",
    "programme__name",
)


def groups_for_list(membership):
    return (
        groups_visible_to(membership)
        .select_related("programme")
        .only(*LIST_FIELDS)
        .annotate(
            enrolled=Count(
                "participants",
                filter=Q(participants__status=ParticipantStatus.ENROLLED),
                distinct=True,
            ),
            waiting=Count(
                "participants",
                filter=Q(participants__status=ParticipantStatus.WAITING),
                distinct=True,
            ),
        )
        .order_by("status", "first_session_at", "pk")
    )


def participants_of(group: GroupCourse):
    return (
        Participant.objects.filter(group=group)
        .select_related("citizen", "support_request")
        .order_by("created_at", "pk")
    )


# What the group's page shows of a participant: the name, type, source, crisis tag and dates,
# and the public id the audit entry names. The citizen's other columns and the request are
# not read.
PAGE_PARTICIPANT_FIELDS = (
    "public_id",
    "group",
    "kind",
    "own_name",
    "status",
    "source",
    "in_crisis",
    "created_at",
    "enrolled_at",
    "citizen",
    "citizen__public_id",
    "citizen__name",
)


def participants_for_page(group: GroupCourse):
    """``participants_of`` with only what the group's page shows of them."""
    return (
        participants_of(group)
        .select_related(None)
        .select_related("citizen")
        .only(*PAGE_PARTICIPANT_FIELDS)
    )


def facilitators_for_page(group: GroupCourse):
    """The group's peer facilitators, with only their names read."""
    return group.facilitators.select_related("user").only("user", "user__full_name")


def sessions_of(group: GroupCourse):
    return GroupSession.objects.filter(group=group).order_by("number")


def participant_counts(group: GroupCourse) -> dict:
    """The group's places by status and kind, counted by the database."""
    return _counts_by_status_and_kind(
        {
            (row["status"], row["kind"]): row["n"]
            for row in Participant.objects.filter(group=group)
            .values("status", "kind")
            .annotate(n=Count("pk"))
        }
    )


def participant_counts_of(participants) -> dict:
    """``participant_counts`` of a group whose participants (all of them) are already read."""
    return _counts_by_status_and_kind(Counter((p.status, p.kind) for p in participants))


def _counts_by_status_and_kind(counts) -> dict:
    by_kind = {
        kind: counts.get((ParticipantStatus.ENROLLED, kind), 0) for kind in ParticipantKind.values
    }
    return {
        "enrolled": sum(by_kind.values()),
        "waiting": sum(n for (status, _kind), n in counts.items() if status == "waiting"),
        "left": sum(n for (status, _kind), n in counts.items() if status == "left"),
        "by_kind": [
            {"kind": kind, "label": ParticipantKind(kind).label, "n": by_kind[kind]}
            for kind in ParticipantKind.values
        ],
    }


def attendance_by_session(group: GroupCourse) -> list[dict]:
    """Per session: how many were ticked present of how many on the list, and the head-count,
    counted with the sessions in one query. Names never enter these figures."""
    sessions = sessions_of(group).annotate(
        present=Count("attendance", filter=Q(attendance__present=True)),
        listed=Count("attendance"),
    )
    return [
        {
            "session": session,
            "recorded": session.attendance_recorded_at is not None,
            "present": session.present,
            "listed": session.listed,
            "rate": round(100 * session.present / session.listed) if session.listed else None,
        }
        for session in sessions
    ]


def attendance_rate(rows: list[dict]) -> int | None:
    present = sum(row["present"] for row in rows if row["recorded"])
    listed = sum(row["listed"] for row in rows if row["recorded"])
    return round(100 * present / listed) if listed else None


def attendance_marks(session: GroupSession) -> dict[int, bool]:
    return dict(Attendance.objects.filter(session=session).values_list("participant_id", "present"))


def enrolled_participants(group: GroupCourse):
    return participants_of(group).filter(status=ParticipantStatus.ENROLLED)


def group_rows(groups) -> list[GroupCourse]:
    """The groups of the list, each with its ``url`` and ``kind_label``: the route and the
    labels read once for the page, not per row in the template."""
    groups = list(groups)
    group_url = public_id_url("groups_detail")
    kinds = choice_label_map(GroupKind)
    for group in groups:
        group.url = group_url(group.public_id)
        group.kind_label = kinds.get(group.kind, group.kind)
    return groups


def sessions_facilitated(user, organisation, start, end):
    """The sessions of running or planned groups ``user`` (or their id) facilitates that start in
    [start, end)."""
    groups = GroupCourse.objects.filter(
        Q(facilitators__user=user) | Q(co_facilitator=user),
        organisation=organisation,
        status__in=(GroupStatus.PLANNED, GroupStatus.RUNNING),
    ).values("pk")
    return (
        GroupSession.objects.filter(
            organisation=organisation,
            group__in=groups,
            starts_at__gte=start,
            starts_at__lt=end,
            is_cancelled=False,
        )
        .select_related("group", "group__unit")
        .order_by("starts_at", "pk")
    )


ATTENDANCE_LOOKBACK_DAYS = 7
# How far ahead the facilitators' start panel shows sessions, and how far its query reads (a
# bound of the day, two days past the furthest the panel shows, whatever the hour and DST).
START_PAGE_DAYS_AHEAD = 60
START_PAGE_DAYS_READ = START_PAGE_DAYS_AHEAD + 2
# What the facilitators' start panel shows of a session and of its group.
START_PAGE_SESSION_FIELDS = ("id", "public_id", "number", "starts_at", "group_id")
START_PAGE_GROUP_FIELDS = ("id", "public_id", "title")


def start_page_sessions(user, organisation, *, limit: int = 5) -> tuple[list, list]:
    """The facilitator's start panel, in one query: the sessions ``user`` facilitated
    before today, in the past week, whose attendance is not recorded yet (an evening session
    keeps its attendance link after midnight), and the next ``limit`` from today on within
    ``START_PAGE_DAYS_AHEAD`` days. Only the columns the panel shows are read. The query's SQL
    depends only on the organisation, the day and the time zone, the facilitator being its
    argument: it is compiled once for them (``lib.compiled``; building it cost more Python than
    the rest of the panel).
    It reads the next sessions up to a bound of the day past the panel's reach, in time order,
    and those beyond the reach (which only follow every session within it) are left out here."""
    now = timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    since = start_of_day - timedelta(days=ATTENDANCE_LOOKBACK_DAYS)
    until = now + timedelta(days=START_PAGE_DAYS_AHEAD)
    read_until = start_of_day + timedelta(days=START_PAGE_DAYS_READ)

    def build(user_pk):
        coming = sessions_facilitated(user_pk, organisation, start_of_day, read_until).values("pk")
        return (
            sessions_facilitated(user_pk, organisation, since, read_until)
            .filter(
                Q(starts_at__lt=start_of_day, attendance_recorded_at__isnull=True)
                | Q(pk__in=coming[:limit])
            )
            .select_related(None)
            .values_list(
                *START_PAGE_SESSION_FIELDS, *(f"group__{f}" for f in START_PAGE_GROUP_FIELDS)
            )
        )

    key = (
        "groups.start_page_sessions",
        organisation.pk,
        start_of_day.date(),
        timezone.get_current_timezone_name(),
        limit,
    )
    using = router.db_for_read(GroupSession)
    split = len(START_PAGE_SESSION_FIELDS)
    sessions = []
    for row in compiled_values(GroupSession, key, build, (user.pk,)):
        session = instance(GroupSession, using, START_PAGE_SESSION_FIELDS, row[:split])
        session.group = instance(GroupCourse, using, START_PAGE_GROUP_FIELDS, row[split:])
        sessions.append(session)
    return (
        [s for s in sessions if s.starts_at < start_of_day],
        [s for s in sessions if start_of_day <= s.starts_at < until],
    )


def open_group_for_signup(public_id):
    """The group behind a public sign-up page, or None (any organisation: no log-in)."""
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return (
            GroupCourse.objects.select_related("organisation", "programme")
            .filter(
                public_id=public_id,
                public_signup=True,
                status__in=(GroupStatus.PLANNED, GroupStatus.RUNNING),
                organisation__is_active=True,
                programme__is_active=True,
            )
            .first()
        )


def waiting_requests_for_groups(organisation, *, query: str = "", public_ids=None, first=None):
    """Requests on intake's waiting list whose programme offers group support, most urgent and
    longest waiting first; ``query`` searches the citizen's name, ``public_ids`` picks requests,
    ``first``: only so many of them (chosen by the database before it reads their citizens)."""
    from brobyg.intake.models import Status, SupportRequest

    order = ("-urgent", "created_at", "pk")
    waiting = (
        SupportRequest.objects.filter(organisation=organisation, status=Status.WAITING)
        # A programme's forms are a short JSON list of known words: the quoted word is found in
        # its text on SQLite and PostgreSQL alike.
        .filter(programme__forms__icontains='"group"')
    )
    if query:
        waiting = waiting.filter(citizen__name__icontains=query)
    if public_ids is not None:
        waiting = waiting.filter(public_id__in=public_ids)
    if first is not None:
        waiting = SupportRequest.objects.filter(
            organisation=organisation, pk__in=waiting.order_by(*order).values("pk")[:first]
        )
    return waiting.select_related("citizen", "programme").order_by(*order)


def enrol_choices(organisation, *, query: str = "", first: int):
    """The first ``first`` requests of ``waiting_requests_for_groups`` as the enrol form offers
    them: only what a choice shows (the citizen's and the programme's names), so 50 requests
    cost no citizen's or request's other columns (the enrolment itself reads the chosen request
    whole)."""
    return waiting_requests_for_groups(organisation, query=query, first=first).only(
        "public_id", "citizen__name", "programme__name"
    )


def groups_facilitated(organisation, peer_ids, month_start, month_end) -> dict[int, int]:
    """peercare's load figure: groups each peer facilitates that run during the month."""
    rows = (
        GroupCourse.facilitators.through.objects.filter(
            peer_id__in=list(peer_ids),
            groupcourse__status__in=[GroupStatus.RUNNING, GroupStatus.FINISHED],
            groupcourse__sessions__starts_at__date__gte=month_start,
            groupcourse__sessions__starts_at__date__lte=month_end,
        )
        .values("peer_id")
        .annotate(n=Count("groupcourse_id", distinct=True))
    )
    return {row["peer_id"]: row["n"] for row in rows}


GROUP_STATUS_FIGURES = ("planned", "running", "finished", "enrolled")


def group_status_sets(membership) -> dict:
    """The coordinator's start panel: the groups the member sees that are planned, running and
    finished, and the citizens enrolled in the running ones (querysets to count). Figures only."""
    groups = groups_visible_to(membership)
    return {
        "planned": groups.filter(status=GroupStatus.PLANNED),
        "running": groups.filter(status=GroupStatus.RUNNING),
        "finished": groups.filter(status=GroupStatus.FINISHED),
        "enrolled": Participant.objects.filter(
            group__in=groups.filter(status=GroupStatus.RUNNING),
            status=ParticipantStatus.ENROLLED,
        ),
    }
