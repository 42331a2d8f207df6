"""The staff pages: who sees what, the form and the start button's safeguard, enrolment from the
waiting list, attendance and messages through the pages."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.groups.models import GroupCourse, GroupMessage, GroupStatus, Participant
from brobyg.groups.tests.helpers import add_people, make_group
from brobyg.intake.models import Status
from brobyg.test import in_org, make_waiting_request


def as_user(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_coordinator_creates_a_group_with_its_sessions(client, personas, bob_peer):
    as_user(client, personas.alice)
    response = client.post(
        reverse("groups_create"),
        {
            "programme": personas.programme_a.pk,
            "title": "Selvskade-gruppe",
            "kind": "self_help",
            "tool": "wrap",
            "theme": "self_harm",
            "setting": "inside",
            "place_kind": "unit",
            "unit": personas.unit_a.pk,
            "facilitators": [str(bob_peer.public_id)],
            "capacity": "8",
            "first_session_at": "2026-03-02T17:00",
            "session_count": "8",
            "interval_days": "7",
            "duration_minutes": "90",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    with in_org(personas.org_a):
        group = GroupCourse.objects.get()
        assert group.sessions.count() == 8
    # Starting it without a professional co-facilitator is refused, and the page says why.
    started = client.post(reverse("groups_start", args=[group.public_id]), follow=True)
    assert "cannot start without a professional co-facilitator" in started.content.decode()
    group.refresh_from_db()
    assert group.status == GroupStatus.PLANNED


def test_the_form_keeps_what_was_typed_and_explains_the_safeguard(client, personas):
    as_user(client, personas.alice)
    response = client.post(
        reverse("groups_create"), {"title": "Spiseforstyrrelser", "theme": "eating_disorder"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Spiseforstyrrelser"' in html
    assert "cannot start without a professional co-facilitator" in html
    assert "This field is required." in html


def test_who_sees_names(client, personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer])
    add_people(group, 3)
    other_peer_user = personas.sara  # a supervisor: no view_groups
    url = reverse("groups_detail", args=[group.public_id])
    for user, sees in ((personas.alice, True), (personas.bob, True), (personas.maja, False)):
        html = as_user(client, user).get(url).content.decode()
        assert ("Deltager 0" in html) is sees, user
        assert "3 of 12 taken" in html
    assert as_user(client, other_peer_user).get(url).status_code == 403
    assert as_user(client, personas.carl).get(url).status_code == 404
    with in_org(personas.org_a):
        reads = LogEntry.objects.filter(object_type="groups.participant", actor=personas.bob)
        assert reads.count() == 3  # one per participant shown


def test_the_list_does_not_grow_in_queries_with_more_groups(
    client, personas, bob_peer, django_assert_max_num_queries
):
    for index in range(2):
        add_people(make_group(personas, facilitators=[bob_peer], title=f"Gruppe {index}"), 2)
    as_user(client, personas.alice)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("groups_list"))
    for index in range(2, 8):
        add_people(make_group(personas, facilitators=[bob_peer], title=f"Gruppe {index}"), 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("groups_list")).content.decode()
    assert "Gruppe 7" in html


def test_a_coordinator_enrols_a_waiting_citizen_through_the_page(client, personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer])
    waiting, _ = make_waiting_request(
        personas.programme_a, request_data={"purposes": [], "forms": ["group"]}, name="Ida Berg"
    )
    as_user(client, personas.alice)
    page = client.get(reverse("groups_detail", args=[group.public_id])).content.decode()
    assert "Ida Berg" in page
    response = client.post(
        reverse("groups_enrol_request", args=[group.public_id]),
        {"support_request": str(waiting.public_id)},
        follow=True,
    )
    assert "Ida Berg has a place in the group." in response.content.decode()
    with in_org(personas.org_a):
        waiting.refresh_from_db()
        assert waiting.status == Status.MATCHED


def test_a_peer_takes_attendance_through_the_page(client, personas, bob_peer):
    group = make_group(personas, facilitators=[bob_peer])
    people = add_people(group, 4)
    with in_org(personas.org_a):
        session = group.sessions.get(number=1)
    as_user(client, personas.bob)
    url = reverse("groups_session_attendance", args=[session.public_id])
    assert client.get(url).content.decode().count('type="checkbox"') == 4
    response = client.post(url, {"present": [str(people[0].public_id), str(people[2].public_id)]})
    assert response.status_code == 302
    with in_org(personas.org_a):
        assert sorted(
            session.attendance.filter(present=True).values_list("participant_id", flat=True)
        ) == [people[0].pk, people[2].pk]
    # A future session cannot be ticked yet; the page says why and nothing is saved.
    with in_org(personas.org_a):
        later = group.sessions.get(number=3)
    response = client.post(
        reverse("groups_session_attendance", args=[later.public_id]),
        {"present": [str(people[0].public_id)]},
    )
    assert "from the day of the session" in response.content.decode()


def test_a_peer_e_mails_the_participants_through_the_page(
    client, personas, bob_peer, django_capture_on_commit_callbacks
):
    group = make_group(personas, facilitators=[bob_peer])
    add_people(group, 2)
    with in_org(personas.org_a):
        Participant.objects.filter(group=group).update(own_email="deltager@example.org")
        session = group.sessions.get(number=2)
    as_user(client, personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups_message", args=[group.public_id]),
            {
                "kind": "change_of_place",
                "session": str(session.public_id),
                "new_place": "Biblioteket, mødelokale 2",
                "subject": "Nyt sted",
                "body": "Vi mødes på biblioteket.",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1  # one address, given twice, gets one e-mail
    with in_org(personas.org_a):
        session.refresh_from_db()
        assert session.place == "Biblioteket, mødelokale 2"
        assert GroupMessage.objects.get().sent_by == personas.bob
    missing = client.post(
        reverse("groups_message", args=[group.public_id]),
        {"kind": "cancellation", "subject": "Aflyst", "body": "Desværre."},
    )
    assert "Choose the session this is about." in missing.content.decode()


def test_a_coordinator_cancels_a_planned_group_and_it_leaves_the_calendar(
    client, personas, bob_peer
):
    from datetime import timedelta

    from django.utils import timezone

    from brobyg.groups.calendar import group_sessions_source

    group = make_group(
        personas, facilitators=[bob_peer], first_session_at=timezone.now() + timedelta(days=2)
    )
    window = (timezone.now(), timezone.now() + timedelta(days=90))
    with in_org(personas.org_a):
        bob_membership = personas.bob.memberships.get()
        assert group_sessions_source(bob_membership, *window)
    as_user(client, personas.alice)
    page = client.get(reverse("groups_detail", args=[group.public_id])).content.decode()
    assert reverse("groups_cancel", args=[group.public_id]) in page
    response = client.post(reverse("groups_cancel", args=[group.public_id]))
    assert response.status_code == 302
    with in_org(personas.org_a):
        group.refresh_from_db()
        assert group.status == GroupStatus.CANCELLED
        assert group_sessions_source(bob_membership, *window) == []
    again = client.post(reverse("groups_cancel", args=[group.public_id]), follow=True)
    assert "already ended" in again.content.decode()


def test_an_evening_session_keeps_its_attendance_link_after_midnight(client, personas, bob_peer):
    copenhagen = ZoneInfo(settings.TIME_ZONE)
    evening = datetime(2027, 3, 27, 22, 0, tzinfo=copenhagen)  # Saturday, 22:00
    with time_machine.travel(evening - timedelta(days=1), tick=False):
        group = make_group(personas, facilitators=[bob_peer], first_session_at=evening)
        people = add_people(group, 2)
    with in_org(personas.org_a):
        session = group.sessions.get(number=1)
    attendance_url = reverse("groups_session_attendance", args=[session.public_id])
    # 00:30 on Sunday, the night the clocks go forward.
    with time_machine.travel(datetime(2027, 3, 28, 0, 30, tzinfo=copenhagen), tick=False):
        as_user(client, personas.bob)
        page = client.get(reverse("start")).content.decode()
        assert "Waiting for attendance" in page
        assert attendance_url in page
        client.post(attendance_url, {"present": [str(people[0].public_id)]})
        page = client.get(reverse("start")).content.decode()
        assert attendance_url not in page


def test_the_coordinators_start_page_counts_running_and_finished_groups(client, personas, bob_peer):
    """A recovery school's coordinator runs groups, not individual courses: the start page
    shows its groups, not only zeros."""
    from brobyg.groups import services

    running = make_group(personas, title="Recovery i hverdagen", facilitators=[bob_peer])
    finished = make_group(personas, title="Håb og mening", facilitators=[bob_peer])
    make_group(personas, title="Næste hold")
    add_people(running, 3)
    with in_org(personas.org_a):
        services.group_start(actor=personas.alice, group=running)
        services.group_start(actor=personas.alice, group=finished)
        services.group_finish(actor=personas.alice, group=finished)
    page = as_user(client, personas.alice).get(reverse("start")).content.decode()
    assert "1 running group (3 participants enrolled)" in page
    assert "1 planned group" in page and "1 finished group" in page
    # The organisation's groups are figures for the coordinator, never for a foreign one.
    page = as_user(client, personas.carl).get(reverse("start")).content.decode()
    assert "0 running groups" in page and "0 finished groups" in page


def test_the_facilitators_panel_reads_earlier_and_next_sessions_in_one_query(
    client, personas, bob_peer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brobyg.groups.selectors import start_page_sessions

    copenhagen = ZoneInfo(settings.TIME_ZONE)
    now = datetime(2027, 1, 13, 12, 0, tzinfo=copenhagen)
    with time_machine.travel(now, tick=False):
        # Daily sessions from three days ago: three wait for attendance, then the next five.
        make_group(
            personas,
            facilitators=[bob_peer],
            first_session_at=now - timedelta(days=3, hours=2),
            interval_days=1,
        )
        with in_org(personas.org_a), CaptureQueriesContext(connection) as queries:
            awaiting, coming = start_page_sessions(personas.bob, personas.org_a)
        assert len(queries) == 1
        assert [s.number for s in awaiting] == [1, 2, 3]
        assert [s.number for s in coming] == [4, 5, 6, 7, 8]
        page = as_user(client, personas.bob).get(reverse("start")).content.decode()
        assert page.count("Attendance") >= 4  # three waiting and today's
