"""Schedules per programme, and the periodic job that asks people when they are due."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from brobyg.outcomes import extensions, schedules, services, tasks
from brobyg.outcomes.models import Invitation
from brobyg.outcomes.tests.helpers import (
    consent_to_questionnaires,
    consenting_citizen,
    load_pack,
    make_peer,
)
from brobyg.people.services import consent_record
from brobyg.periodic import PERIODIC_TASKS
from brobyg.test import in_org, make_member, make_request, make_user


def schedule(personas, instruments, code, anchor_kind, programme=None, **timing):
    with in_org(personas.org_a):
        return services.schedule_create(
            actor=personas.alice,
            programme=programme or personas.programme_a,
            instrument=instruments[code],
            anchor_kind=anchor_kind,
            timing=timing or None,
        )


def run_job(capture, now=None):
    """The periodic job, as the worker runs it: no scope is active."""
    with capture(execute=True):
        return services.invitations_create_due(now=now)


def invitations(**filters):
    with scopes_disabled():
        return list(Invitation.objects.filter(**filters).select_related("user", "citizen"))


def make_match(personas, citizen, peer, *, activated_at, status="active", ended_at=None):
    from brobyg.intake.models import SupportRequest
    from brobyg.matching.models import Match

    with in_org(personas.org_a):
        support_request = SupportRequest.objects.filter(citizen=citizen).first()
        return Match.objects.create(
            organisation=personas.org_a,
            programme=personas.programme_a,
            support_request=support_request,
            citizen=citizen,
            peer=peer,
            status=status,
            score=0.8,
            proposed_by=personas.alice,
            activated_at=activated_at,
            ended_at=ended_at,
        )


def test_the_periodic_jobs_include_invitations_and_reminders():
    assert tasks.create_due_invitations in PERIODIC_TASKS
    assert tasks.send_reminders in PERIODIC_TASKS


def test_peers_are_asked_once_every_two_weeks(
    personas, instruments, django_capture_on_commit_callbacks
):
    make_peer(personas.org_a, personas.bob, [personas.programme_a])
    make_peer(personas.org_a, personas.rita, [personas.programme_a], status="paused")
    schedule(personas, instruments, "peer-checkin", "peer")
    assert run_job(django_capture_on_commit_callbacks) == 1
    assert run_job(django_capture_on_commit_callbacks) == 0
    [invitation] = invitations()
    assert invitation.user == personas.bob and invitation.respondent_kind == "peer"
    start = schedules.period_start(timezone.now(), every_days=14)
    assert invitation.timepoint == start.isoformat()
    assert invitation.expires_at <= timezone.now() + timedelta(days=14)
    # E-mailed with the link, and marked as sent.
    assert [message.to for message in mail.outbox] == [[personas.bob.email]]
    assert "/q/" in mail.outbox[0].body
    assert invitations()[0].sent_at is not None
    # The next period asks again.
    assert run_job(django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=14)) == 1


def test_a_peer_in_two_programmes_is_asked_once(
    personas, instruments, django_capture_on_commit_callbacks
):
    from brobyg.test import make_programme

    second = make_programme(personas.org_a, "Peer-caféen")
    make_peer(personas.org_a, personas.bob, [personas.programme_a, second])
    schedule(personas, instruments, "peer-checkin", "peer")
    schedule(personas, instruments, "peer-checkin", "peer", programme=second)
    assert run_job(django_capture_on_commit_callbacks) == 1


def test_staff_who_work_with_citizens_get_the_pulse_every_six_months(
    personas, instruments, django_capture_on_commit_callbacks
):
    schedule(personas, instruments, "staff-pulse", "staff")
    run_job(django_capture_on_commit_callbacks)
    asked = {invitation.user for invitation in invitations()}
    assert asked == {personas.alice, personas.maja, personas.sara, personas.rita}
    local = timezone.localtime()
    half = "01" if local.month <= 6 else "07"
    assert {invitation.timepoint for invitation in invitations()} == {f"{local.year}-{half}"}


def test_citizens_are_asked_at_the_start_of_a_match_and_after_three_months(
    personas, instruments, django_capture_on_commit_callbacks
):
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    schedule(personas, instruments, "brobyg-chime", "match")
    now = timezone.now()
    new = consenting_citizen(personas.programme_a, email="new@example.org")
    make_match(personas, new, peer, activated_at=now - timedelta(hours=2))
    three_months = consenting_citizen(personas.programme_a, email="three@example.org")
    make_match(personas, three_months, peer, activated_at=now - timedelta(days=93))
    with in_org(personas.org_a):
        support_request, _ = make_request(personas.programme_a, email="no@example.org")
    make_match(personas, support_request.citizen, peer, activated_at=now - timedelta(hours=1))
    run_job(django_capture_on_commit_callbacks)
    asked = {(invitation.citizen, invitation.timepoint) for invitation in invitations()}
    # The new match's baseline; the older one's 3-month follow-up (its baseline is long past);
    # nobody without consent to questionnaires.
    assert asked == {(new, "baseline"), (three_months, "followup_3m")}
    assert {message.to[0] for message in mail.outbox} == {"new@example.org", "three@example.org"}


def test_citizens_are_asked_when_their_match_ends(
    personas, instruments, django_capture_on_commit_callbacks
):
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    schedule(personas, instruments, "brobyg-chime", "match")
    now = timezone.now()
    citizen = consenting_citizen(personas.programme_a)
    make_match(
        personas,
        citizen,
        peer,
        status="ended",
        activated_at=now - timedelta(days=70),
        ended_at=now - timedelta(days=1),
    )
    run_job(django_capture_on_commit_callbacks)
    assert [invitation.timepoint for invitation in invitations()] == ["end"]


def test_reminders_go_out_after_a_week_at_most_twice_and_never_without_consent(
    personas, instruments, django_capture_on_commit_callbacks
):
    citizen = consenting_citizen(personas.programme_a)
    with in_org(personas.org_a):
        invitation, _ = services.invitation_create_in_person(
            actor=None, citizen=citizen, instrument=instruments["who-5"], timepoint="baseline"
        )
        Invitation.objects.filter(pk=invitation.pk).update(
            sent_at=timezone.now() - timedelta(days=8)
        )
    assert tasks.send_reminders.call() == 1
    assert "Reminder" in mail.outbox[0].subject or "Påmindelse" in mail.outbox[0].subject
    assert tasks.send_reminders.call() == 0  # a week apart
    with in_org(personas.org_a):
        Invitation.objects.filter(pk=invitation.pk).update(
            reminded_at=timezone.now() - timedelta(days=8)
        )
        consent_record(
            actor=None, citizen=citizen, purpose="questionnaires", given=False, method="phone"
        )
    assert tasks.send_reminders.call() == 0


def test_a_schedule_must_fit_its_questionnaire(personas, instruments):
    with pytest.raises(ValidationError, match="ikke til dem, denne plan spørger"):
        schedule(personas, instruments, "who-5", "peer")
    with pytest.raises(ValidationError, match="tekstpakke"):
        schedule(personas, instruments, "qpr-15", "match")
    load_pack(personas.org_a, "qpr-15")
    schedule(personas, instruments, "qpr-15", "match")
    with pytest.raises(ValidationError, match="har allerede denne plan"):
        schedule(personas, instruments, "qpr-15", "match")
    with pytest.raises(ValidationError):
        schedule(personas, instruments, "peer-checkin", "peer", every_days=2)
    with pytest.raises(ValidationError):
        schedule(personas, instruments, "brobyg-chime", "match", every_days=14)


def test_the_recommended_schedules_are_added_once(personas, instruments):
    with in_org(personas.org_a):
        first = services.schedules_create_defaults(actor=None, programme=personas.programme_a)
        again = services.schedules_create_defaults(actor=None, programme=personas.programme_a)
    assert [s.anchor_kind for s in first] == ["match", "peer", "staff"]
    assert again == []
    assert first[0].timing == {"baseline": True, "followup_months": [3, 6], "end": True}


def test_a_paused_schedule_asks_nobody(personas, instruments, django_capture_on_commit_callbacks):
    make_peer(personas.org_a, personas.bob, [personas.programme_a])
    paused = schedule(personas, instruments, "peer-checkin", "peer")
    with in_org(personas.org_a):
        services.schedule_set_active(actor=personas.alice, schedule=paused, active=False)
    assert run_job(django_capture_on_commit_callbacks) == 0


def test_other_apps_can_register_an_anchor(
    personas, instruments, django_capture_on_commit_callbacks
):
    user = make_user("gruppe@example.org", "Gruppe Deltager")
    make_member(personas.org_a, user, ["referrer"])

    def occasions(schedule, now):
        yield extensions.Occasion(
            anchor_id="group-1", timepoint="last_session", due_at=now, user=user
        )

    extensions.register_schedule_anchor(
        "test_group",
        extensions.AnchorProvider(
            label="Test group",
            respondent="staff",
            default_timing={"last_session": True},
            occasions=occasions,
            timing_keys=frozenset({"last_session"}),
        ),
    )
    try:
        schedule(personas, instruments, "staff-pulse", "test_group")
        assert run_job(django_capture_on_commit_callbacks) == 1
        assert invitations()[0].timepoint == "last_session"
    finally:
        extensions._ANCHORS.pop("test_group")


def test_it_describes_timing_in_words():
    with translation.override("en"):
        words = schedules.describe_timing(
            {"baseline": True, "followup_months": [3, 6], "end": True}
        )
        assert words == ["At the start", "After 3, 6 months", "At the end"]
        assert schedules.timepoint_label("followup_6m") == "After 6 months"
        assert schedules.describe_timing({"every_days": 14}) == ["Every 14 days"]
    assert schedules.add_months(timezone.datetime(2025, 1, 31, 12), 1).day == 28
    assert schedules.add_months(timezone.datetime(2025, 11, 15, 12), 3).month == 2


def test_a_course_that_starts_is_asked_its_baseline_at_once(
    personas, instruments, django_capture_on_commit_callbacks
):
    """Not at the next periodic run: the coordinator saw "none sent yet" (issue 15)."""
    from brobyg.matching import services as matching_services
    from brobyg.test import make_waiting_request

    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    schedule(personas, instruments, "brobyg-chime", "match")
    support_request, _token = make_waiting_request(personas.programme_a, email="lone@example.org")
    consent_to_questionnaires(support_request.citizen)
    with in_org(personas.org_a):
        match = matching_services.match_propose(
            actor=personas.alice, support_request=support_request, peer=peer
        )
        matching_services.match_peer_answer(actor=personas.bob, match=match, accept=True)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            matching_services.match_citizen_answer(match=match, accept=True, method="personal_link")
    [invitation] = invitations(anchor_id=str(match.public_id))
    assert invitation.timepoint == "baseline"
    assert "lone@example.org" in {message.to[0] for message in mail.outbox}


def test_the_start_page_counts_each_active_programmes_schedules(client, personas, instruments):
    schedule(personas, instruments, "peer-checkin", "peer")
    client.force_login(personas.alice)
    sections = client.get(reverse("start")).context["sections"]
    [panel] = [
        panel
        for section in sections
        for panel in section["panels"]
        if panel["name"] == "outcomes_overview"
    ]
    counts = {row["name"]: row["schedule_count"] for row in panel["programmes"]}
    assert counts[personas.programme_a.name] == 1
    assert all(n == 0 for name, n in counts.items() if name != personas.programme_a.name)
