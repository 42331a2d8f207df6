"""Courses: started by an accepted match, sessions, team sharing under consent, quiet courses."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brobyg.matching import selectors as matching_selectors
from brobyg.matching import services as matching_services
from brobyg.matching.models import MatchStatus
from brobyg.people import services as people_services
from brobyg.people.models import ConsentPurpose
from brobyg.support import selectors, services
from brobyg.support.models import Course, CourseStatus, Session, SessionStatus
from brobyg.test import in_org, make_peer, make_waiting_request


def _accepted_match(personas, bob_peer):
    """Bob's match to a waiting request in the citizen's own words, accepted by both."""
    support_request, _token = make_waiting_request(
        personas.programme_a, request_data={"own_words": "Jeg vil gerne i gang igen."}
    )
    with in_org(personas.org_a):
        match = matching_services.match_propose(
            actor=personas.alice, support_request=support_request, peer=bob_peer
        )
        matching_services.match_peer_answer(actor=personas.bob, match=match, accept=True)
        matching_services.match_citizen_answer(match=match, accept=True, method="personal_link")
    return match


def test_an_accepted_match_creates_the_course_and_takes_a_place(personas, bob_peer):
    match = _accepted_match(personas, bob_peer)
    with in_org(personas.org_a):
        course = Course.objects.get(match=match)
        assert list(course.peers.all()) == [bob_peer]
        assert course.goal_versions.first().text == "Jeg vil gerne i gang igen."
        assert matching_selectors.live_counts(personas.org_a, [bob_peer.pk]) == {bob_peer.pk: 1}

        services.course_end(
            actor=personas.alice,
            course=course,
            ended_on=timezone.localdate(),
            reason="goals_reached",
        )
        match.refresh_from_db()
        assert match.status == MatchStatus.ENDED
        assert matching_selectors.live_counts(personas.org_a, [bob_peer.pk]) == {}


def test_goals_from_the_request_are_the_citizens_own_words_not_the_accepters(
    client, english, personas, bob_peer
):
    match = _accepted_match(personas, bob_peer)
    with in_org(personas.org_a):
        course = Course.objects.get(match=match)
    client.force_login(personas.bob)
    page = client.get(reverse("support_course_detail", args=[course.public_id])).content.decode()
    assert "The citizen's own words from their request of" in page
    assert "Written" not in page and " by  " not in page


def test_a_second_peer_on_a_course_counts_for_both(personas, course):
    anna = make_peer(personas.org_a, personas.maja, [personas.programme_a])
    with in_org(personas.org_a):
        services.course_update(
            actor=personas.alice, course=course, data={}, peers=[*course.peers.all(), anna]
        )
        counts = matching_selectors.live_counts(
            personas.org_a, [anna.pk, *course.peers.values_list("pk", flat=True)]
        )
    assert set(counts.values()) == {1} and len(counts) == 2


def test_a_peer_sees_only_their_own_courses(client, personas, course):
    client.force_login(personas.bob)
    assert client.get(reverse("support_course_detail", args=[course.public_id])).status_code == 200
    assert course.citizen.name in client.get(reverse("support_course_list")).content.decode()
    vera_peer = make_peer(personas.org_b, personas.vera, [personas.programme_b])
    assert vera_peer
    client.force_login(personas.vera)
    assert client.get(reverse("support_course_detail", args=[course.public_id])).status_code == 404


def _sharing_with_team(personas, course, *, given, method):
    """Alice records the citizen's consent (or its withdrawal) to share with the team."""
    with in_org(personas.org_a):
        people_services.consent_record(
            actor=personas.alice,
            citizen=course.citizen,
            purpose=ConsentPurpose.SHARE_WITH_TEAM,
            given=given,
            method=method,
        )


def test_sharing_with_the_team_needs_the_consent_and_its_withdrawal_hides_it(
    client, personas, course
):
    data = {
        "starts_at": timezone.now() - timedelta(hours=1),
        "shared_with_team": "Vil gerne have hjælp til jobcentret.",
    }
    with in_org(personas.org_a), pytest.raises(ValidationError) as refused:
        services.session_log(actor=personas.bob, course=course, data=data)
    assert "shared_with_team" in refused.value.error_dict

    _sharing_with_team(personas, course, given=True, method="in_person")
    with in_org(personas.org_a):
        services.session_log(actor=personas.bob, course=course, data=data)
    client.force_login(personas.alice)
    page = reverse("support_course_detail", args=[course.public_id])
    assert "Vil gerne have hjælp til jobcentret." in client.get(page).content.decode()

    _sharing_with_team(personas, course, given=False, method="phone")
    assert "Vil gerne have hjælp til jobcentret." not in client.get(page).content.decode()


def test_logging_a_session_plans_the_next_and_keeps_the_last_session(personas, course):
    held_at = timezone.now() - timedelta(hours=2)
    next_time = timezone.now() + timedelta(days=7)
    with in_org(personas.org_a):
        services.session_log(
            actor=personas.bob,
            course=course,
            data={"starts_at": held_at, "chime_themes": ["hope"], "note": "God gåtur."},
            next_appointment=next_time,
        )
        course.refresh_from_db()
        assert course.last_session_at == held_at
        planned = Session.objects.get(course=course, status=SessionStatus.PLANNED)
        assert planned.starts_at == next_time
        with pytest.raises(ValidationError):
            services.session_log(
                actor=personas.bob,
                course=course,
                data={"starts_at": held_at, "chime_themes": ["despair"]},
            )


@time_machine.travel(datetime(2027, 5, 12, 10, 0, tzinfo=ZoneInfo(settings.TIME_ZONE)))
def test_a_course_without_a_session_for_21_days_is_quiet_and_can_be_nudged(
    client, english, personas, course, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with in_org(personas.org_a):
        Course.objects.filter(pk=course.pk).update(last_session_at=now - timedelta(days=20))
        assert not selectors.quiet_courses(Course.objects.all())
        Course.objects.filter(pk=course.pk).update(last_session_at=now - timedelta(days=22))
        assert [c.pk for c in selectors.quiet_courses(Course.objects.all())] == [course.pk]
        services.settings_update(
            actor=personas.alice, programme=personas.programme_a, inactivity_days=30
        )
        assert not selectors.quiet_courses(Course.objects.all())
        services.settings_update(
            actor=personas.alice, programme=personas.programme_a, inactivity_days=21
        )
        Course.objects.filter(pk=course.pk).update(status=CourseStatus.PAUSED)
        assert not selectors.quiet_courses(Course.objects.all())
        Course.objects.filter(pk=course.pk).update(status=CourseStatus.ACTIVE)

    client.force_login(personas.alice)
    start = client.get(reverse("start")).content.decode()
    assert "Lone Holm" in start and "22 days" in start
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("support_course_nudge", args=[course.public_id]), {"next": "start"})
    assert mail.outbox[-1].to == [personas.bob.email]
    assert "Lone Holm" not in mail.outbox[-1].body

    client.force_login(personas.bob)
    assert "Lone Holm" in client.get(reverse("start")).content.decode()


def test_a_course_turns_quiet_at_midnight_also_across_summer_time(personas, course):
    copenhagen = ZoneInfo(settings.TIME_ZONE)
    last_session = datetime(2027, 3, 10, 18, 0, tzinfo=copenhagen)
    with in_org(personas.org_a):
        Course.objects.filter(pk=course.pk).update(last_session_at=last_session)
        courses = Course.objects.all()
        # 31 March at 00:10 is 21 calendar days on, though 20 days and 5 hours of real time.
        with time_machine.travel(datetime(2027, 3, 30, 23, 50, tzinfo=copenhagen), tick=False):
            assert not selectors.quiet_courses(courses)
        with time_machine.travel(datetime(2027, 3, 31, 0, 10, tzinfo=copenhagen), tick=False):
            [quiet] = selectors.quiet_courses(courses)
            assert quiet.quiet_days == 21


def test_the_course_list_costs_the_same_queries_for_many_courses(
    client, personas, bob_peer, django_assert_max_num_queries
):
    with in_org(personas.org_a):
        for number in range(12):
            support_request, _token = make_waiting_request(
                personas.programme_a, name=f"Borger {number}", phone=f"2000{number:04d}"
            )
            services.course_create(
                actor=personas.alice,
                citizen=support_request.citizen,
                programme=personas.programme_a,
                peers=[bob_peer],
                data={},
            )
    client.force_login(personas.alice)
    client.get(reverse("support_course_list"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("support_course_list"))
    assert response.content.decode().count("Borger ") == 12


def test_an_ended_course_cannot_be_logged_in(personas, course):
    with in_org(personas.org_a):
        services.course_end(
            actor=personas.alice, course=course, ended_on=timezone.localdate(), reason="moved_away"
        )
        with pytest.raises(ValidationError):
            services.session_log(
                actor=personas.bob, course=course, data={"starts_at": timezone.now()}
            )


def test_the_referrer_sees_only_that_the_course_is_active(client, english, personas, course):
    from brobyg.intake.models import SupportRequest

    with in_org(personas.org_a):
        SupportRequest.objects.filter(pk=course.support_request_id).update(
            referred_by=personas.rita
        )
    client.force_login(personas.rita)
    page = client.get(reverse("intake_referral_list")).content.decode()
    assert "Support course active" in page
    assert "Komme ud blandt andre" not in page


def test_the_citizen_page_lists_the_courses(client, personas, course):
    client.force_login(personas.alice)
    page = client.get(reverse("intake_citizen_detail", args=[course.citizen.public_id]))
    assert reverse("support_course_detail", args=[course.public_id]) in page.content.decode()
    client.force_login(personas.bob)
    page = client.get(reverse("intake_citizen_detail", args=[course.citizen.public_id]))
    assert page.status_code == 200  # a peer sees the citizens of their own courses


def test_a_logged_session_can_be_corrected(client, personas, course):
    with in_org(personas.org_a):
        session = services.session_log(
            actor=personas.bob,
            course=course,
            data={"starts_at": timezone.now() - timedelta(hours=1), "note": "God gåtur"},
        )
    client.force_login(personas.bob)
    page = client.get(reverse("support_course_detail", args=[course.public_id])).content.decode()
    edit = reverse("support_session_log_planned", args=[session.public_id])
    assert edit in page
    starts = timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        edit,
        {
            "starts_at": starts,
            "duration_minutes": 60,
            "form": "walk",
            "kind": "activity",
            "note": "God gåtur ved søerne",
        },
    )
    assert response.status_code == 302
    with in_org(personas.org_a):
        session.refresh_from_db()
        assert (session.note, session.form) == ("God gåtur ved søerne", "walk")
        assert Session.objects.filter(course=course).count() == 1


def test_the_peer_records_a_withdrawal_and_the_shared_text_is_hidden_at_once(
    client, english, personas, course
):
    _sharing_with_team(personas, course, given=True, method="in_person")
    with in_org(personas.org_a):
        services.session_log(
            actor=personas.bob,
            course=course,
            data={
                "starts_at": timezone.now(),
                "shared_with_team": "Har brug for hjælp til husleje.",
            },
        )
    client.force_login(personas.bob)
    consent_page = reverse("intake_citizen_consent", args=[course.citizen.public_id])
    refused = client.post(
        consent_page, {"purpose": "share_with_organisation", "given": "no", "method": "phone"}
    )
    assert "Name the organisation" in refused.content.decode()
    response = client.post(
        consent_page, {"purpose": "share_with_team", "given": "no", "method": "phone"}
    )
    assert response.status_code == 302
    client.force_login(personas.alice)
    page = client.get(reverse("support_course_detail", args=[course.public_id])).content.decode()
    assert "Har brug for hjælp til husleje." not in page


def test_the_note_is_the_peers_own_and_the_team_reads_only_what_is_shared(client, personas, course):
    with in_org(personas.org_a):
        services.session_log(
            actor=personas.bob,
            course=course,
            data={"starts_at": timezone.now(), "note": "Fortroligt: talte om familien."},
        )
    page = reverse("support_course_detail", args=[course.public_id])
    client.force_login(personas.bob)
    assert "Fortroligt: talte om familien." in client.get(page).content.decode()
    client.force_login(personas.alice)
    assert "Fortroligt: talte om familien." not in client.get(page).content.decode()
