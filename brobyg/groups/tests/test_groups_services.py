from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django_scopes import scope

from brobyg.audit.models import LogEntry
from brobyg.groups import selectors, services, services_messages
from brobyg.groups.calendar import group_sessions_source
from brobyg.groups.models import (
    Attendance,
    GroupStatus,
    MessageKind,
    ParticipantStatus,
)
from brobyg.groups.tests.helpers import add_people, make_group
from brobyg.intake.models import Status
from brobyg.test import make_waiting_request


def test_it_plans_the_sessions(personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer], session_count=10, interval_days=7)
    with scope(organisation=personas.org_a.pk):
        sessions = list(selectors.sessions_of(group))
    assert [session.number for session in sessions] == list(range(1, 11))
    first, last = (
        timezone.localtime(s.starts_at).replace(tzinfo=None) for s in (sessions[0], sessions[9])
    )
    assert last - first == timedelta(days=63)


def test_weekly_sessions_keep_their_local_time_across_summer_time(personas, bob_peer):
    copenhagen = ZoneInfo(settings.TIME_ZONE)
    # winter time; summer time from 28/3. Given in UTC, as a time read back from the database is.
    first = datetime(2027, 3, 16, 18, 0, tzinfo=copenhagen).astimezone(UTC)
    with time_machine.travel(first - timedelta(days=3), tick=False):
        group = make_group(
            personas,
            facilitators=[bob_peer],
            first_session_at=first,
            session_count=4,
            duration_minutes=90,
        )
    with scope(organisation=personas.org_a.pk):
        sessions = list(selectors.sessions_of(group))
    local = [timezone.localtime(s.starts_at) for s in sessions]
    assert [(t.day, t.hour, t.minute) for t in local] == [
        (16, 18, 0),
        (23, 18, 0),
        (30, 18, 0),
        (6, 18, 0),
    ]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=90) for s in sessions)


def test_attendance_can_be_recorded_from_the_morning_of_a_late_session(personas, bob_peer):
    copenhagen = ZoneInfo(settings.TIME_ZONE)
    late = datetime(2027, 3, 16, 23, 30, tzinfo=copenhagen)
    with time_machine.travel(late - timedelta(days=3), tick=False):
        group = make_group(personas, facilitators=[bob_peer], first_session_at=late)
        people = add_people(group, 2)
    with scope(organisation=personas.org_a.pk):
        session = group.sessions.get(number=1)
        with (
            time_machine.travel(datetime(2027, 3, 15, 23, 0, tzinfo=copenhagen), tick=False),
            pytest.raises(ValidationError),
        ):
            services.attendance_record(
                actor=personas.bob, session=session, present={people[0].public_id}
            )
        with time_machine.travel(datetime(2027, 3, 16, 8, 0, tzinfo=copenhagen), tick=False):
            services.attendance_record(
                actor=personas.bob, session=session, present={people[0].public_id}
            )


def test_it_refuses_to_start_a_self_harm_group_without_a_professional(personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer], theme="self_harm")
    with scope(organisation=personas.org_a.pk), translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            services.group_start(actor=personas.alice, group=group)
        assert "professional co-facilitator" in refused.value.messages[0]
        group.refresh_from_db()
        assert group.status == GroupStatus.PLANNED
        services.group_update(
            actor=personas.alice,
            group=group,
            data={"co_facilitator": personas.sara},
            facilitators=[bob_peer],
        )
        services.group_start(actor=personas.alice, group=group)
    group.refresh_from_db()
    assert group.status == GroupStatus.RUNNING


def test_an_eating_disorder_group_also_needs_one_and_keeps_it(personas, bob_peer):
    group = make_group(
        personas, facilitators=[bob_peer], theme="eating_disorder", co_facilitator=personas.sara
    )
    with scope(organisation=personas.org_a.pk):
        services.group_start(actor=personas.alice, group=group)
        with pytest.raises(ValidationError):
            services.group_update(
                actor=personas.alice,
                group=group,
                data={"co_facilitator": None},
                facilitators=[bob_peer],
            )


def test_it_puts_people_on_the_waiting_list_when_full(personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer], capacity=2)
    first, second, third, fourth = add_people(group, 4)
    assert [p.status for p in (first, second, third, fourth)] == [
        ParticipantStatus.ENROLLED,
        ParticipantStatus.ENROLLED,
        ParticipantStatus.WAITING,
        ParticipantStatus.WAITING,
    ]
    with scope(organisation=personas.org_a.pk):
        with pytest.raises(ValidationError):  # no free place yet
            services.participant_move_in(actor=personas.alice, participant=third)
        services.participant_leave(actor=personas.alice, participant=first)
        with pytest.raises(ValidationError):  # not the first on the waiting list
            services.participant_move_in(actor=personas.alice, participant=fourth)
        services.participant_move_in(actor=personas.alice, participant=third)
    third.refresh_from_db()
    assert third.status == ParticipantStatus.ENROLLED


def test_enrolling_from_the_waiting_list_moves_the_request_on(personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer], capacity=1)
    add_people(group, 1)
    waiting, _token = make_waiting_request(
        personas.programme_a, request_data={"purposes": [], "forms": ["group"]}
    )
    with scope(organisation=personas.org_a.pk):
        assert waiting in selectors.waiting_requests_for_groups(personas.org_a)
        participant = services.participant_enrol_request(
            actor=personas.alice, group=group, support_request=waiting
        )
        waiting.refresh_from_db()
        # Full: on the group's waiting list, the request still waits.
        assert participant.status == ParticipantStatus.WAITING
        assert waiting.status == Status.WAITING
        services.group_update(
            actor=personas.alice, group=group, data={"capacity": 2}, facilitators=[bob_peer]
        )
        services.participant_move_in(actor=personas.alice, participant=participant)
        waiting.refresh_from_db()
        assert waiting.status == Status.MATCHED
        assert waiting.events.filter(to_status=Status.MATCHED).exists()


def test_attendance_is_recorded_and_logged(personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer])
    people = add_people(group, 12)
    with scope(organisation=personas.org_a.pk):
        session = selectors.sessions_of(group).first()
        services.attendance_record(
            actor=personas.bob,
            session=session,
            present={str(p.public_id) for p in people[:9]},
        )
        rows = selectors.attendance_by_session(group)
        assert Attendance.objects.filter(session=session, present=True).count() == 9
    assert rows[0]["present"] == 9 and rows[0]["listed"] == 12 and rows[0]["rate"] == 75
    entry = LogEntry.objects.filter(object_type="groups.groupsession").get()
    assert entry.details["present"] == 9
    assert entry.actor == personas.bob


def test_a_head_count_is_only_for_open_groups(personas, bob_peer):
    closed = make_group(personas, facilitators=[bob_peer])
    opened = make_group(personas, facilitators=[bob_peer], is_open=True)
    with scope(organisation=personas.org_a.pk):
        with pytest.raises(ValidationError):
            services.attendance_record(
                actor=personas.bob,
                session=selectors.sessions_of(closed).first(),
                present=set(),
                headcount=5,
            )
        session = services.attendance_record(
            actor=personas.bob,
            session=selectors.sessions_of(opened).first(),
            present=set(),
            headcount=14,
        )
    assert session.headcount == 14


def test_a_message_reaches_each_participant_alone_and_is_logged(
    personas, bob_peer, django_capture_on_commit_callbacks
):
    group = make_group(personas, facilitators=[bob_peer])
    with scope(organisation=personas.org_a.pk):
        for index in range(3):
            services.participant_add(
                actor=None,
                group=group,
                kind="staff",
                name=f"Medarbejder {index}",
                email=f"staff{index}@example.org",
            )
        services.participant_add(
            actor=None, group=group, kind="relative", name="Ulla", phone="20304050"
        )
        session = selectors.sessions_of(group)[3]
        with django_capture_on_commit_callbacks(execute=True):
            message = services_messages.group_message_send(
                actor=personas.bob,
                group=group,
                kind=MessageKind.CANCELLATION,
                subject="Aflyst",
                body="Vi ses næste uge.",
                session=session,
            )
    session.refresh_from_db()
    assert session.is_cancelled
    assert message.recipient_count == 3 and message.without_email_count == 1
    assert sorted(email.to[0] for email in mail.outbox) == [
        "staff0@example.org",
        "staff1@example.org",
        "staff2@example.org",
    ]
    assert all(len(email.to) == 1 and not email.bcc for email in mail.outbox)
    assert LogEntry.objects.filter(object_type="groups.groupmessage", actor=personas.bob).exists()


def test_the_calendar_source_gives_the_facilitators_sessions_without_names(personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer], title="Recovery-kursus")
    other = make_group(personas, title="Ikke Bobs gruppe")
    add_people(group, 2)
    start = timezone.now() - timedelta(days=1)
    with scope(organisation=personas.org_a.pk), translation.override("en"):
        entries = group_sessions_source(personas.bob_membership, start, start + timedelta(days=15))
        alice_entries = group_sessions_source(
            personas.alice_membership, start, start + timedelta(days=15)
        )
    assert [entry.feed_title for entry in entries] == [
        "Group: Recovery-kursus, session 1",
        "Group: Recovery-kursus, session 2",
        "Group: Recovery-kursus, session 3",
    ]
    assert all("Deltager" not in entry.feed_title for entry in entries)
    assert all("Café" not in entry.feed_title for entry in entries)
    assert alice_entries == []
    assert other.title not in {entry.title for entry in entries}


def test_a_professional_co_facilitator_gets_the_sessions_too(personas):
    make_group(personas, co_facilitator=personas.sara, theme="self_harm")
    start = timezone.now() - timedelta(days=1)
    with scope(organisation=personas.org_a.pk):
        entries = group_sessions_source(personas.sara_membership, start, start + timedelta(days=8))
    assert len(entries) == 2


def test_citizens_merge_moves_participations(personas, bob_peer):
    from brobyg.people.services import citizens_merge

    group = make_group(personas, facilitators=[bob_peer])
    request_one, _ = make_waiting_request(
        personas.programme_a, request_data={"purposes": [], "forms": ["group"]}
    )
    request_two, _ = make_waiting_request(personas.programme_a, name="Mette H.")
    with scope(organisation=personas.org_a.pk):
        participant = services.participant_enrol_request(
            actor=personas.alice, group=group, support_request=request_one
        )
        citizens_merge(
            actor=personas.alice, keep=request_two.citizen, duplicate=request_one.citizen
        )
    participant.refresh_from_db()
    assert participant.citizen == request_two.citizen
