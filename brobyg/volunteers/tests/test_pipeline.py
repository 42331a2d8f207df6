"""The coordinator's pipeline: stages with notes, the certificate recorded as seen, "not now"
with a kind e-mail, reaching active (a membership and a volunteer peer that matching suggests),
reminders, the retention of ended applications, and a list whose queries do not grow."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from brobyg.audit.models import LogEntry
from brobyg.matching.selectors import candidates_for_request
from brobyg.orgs.models import Membership
from brobyg.people.models import Peer
from brobyg.rights import retention
from brobyg.rights import services as rights_services
from brobyg.test import assert_queries_do_not_grow, in_org, make_waiting_request
from brobyg.volunteers import services, tasks
from brobyg.volunteers.models import Application, StageKind

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def move(personas, application, stage, **kwargs):
    with scope(organisation=personas.org_b.pk):
        return services.application_move(
            actor=personas.carl, application=application, stage=stage, **kwargs
        )


def test_it_moves_through_the_stages_with_a_note_per_stage(client, personas, apply_to, stages):
    application = apply_to()
    client.force_login(personas.carl)
    response = client.post(
        reverse("volunteers_move", args=[application.public_id]),
        {"stage": stages[1].pk, "note": "God samtale; starter på kurset i marts."},
    )
    assert response.status_code == 302
    page = client.get(reverse("volunteers_detail", args=[application.public_id])).content.decode()
    assert "God samtale; starter på kurset i marts." in page
    assert stages[1].name in page
    assert LogEntry.objects.filter(
        action="read", object_type="volunteers.application", actor=personas.carl
    ).exists()


def test_it_asks_for_the_certificate_before_passing_its_stage(client, personas, apply_to, stages):
    certificate = next(stage for stage in stages if stage.kind == StageKind.CERTIFICATE)
    after = stages[certificate.position]  # the stage after it
    application = apply_to()
    move(personas, application, certificate)
    client.force_login(personas.carl)
    response = client.post(
        reverse("volunteers_move", args=[application.public_id]),
        {"stage": after.pk, "note": "Kurset er godt i gang"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "straffeattesten er set" in page
    assert "Kurset er godt i gang" in page  # the note is kept
    with in_org(personas.org_b):
        application.refresh_from_db()
    assert application.stage == certificate

    with time_machine.travel("2026-03-10 12:00 +01:00"):
        application = move(
            personas,
            application,
            after,
            certificate_kind="criminal_record",
            certificate_seen_on=date(2026, 3, 9),
        )
    assert (application.certificate_seen_on, application.certificate_seen_by) == (
        date(2026, 3, 9),
        personas.carl,
    )


def test_it_refuses_a_certificate_seen_in_the_future(personas, apply_to, stages):
    with time_machine.travel("2026-03-10 12:00 +01:00"), pytest.raises(ValidationError):
        move(
            personas,
            apply_to(),
            stages[1],
            certificate_kind="children",
            certificate_seen_on=date(2026, 3, 11),
        )


def test_reaching_active_makes_a_volunteer_peer_that_matching_suggests(
    personas, apply_to, stages, django_capture_on_commit_callbacks
):
    application = apply_to(email="Jonas@Example.org")
    move(
        personas,
        application,
        stages[3],
        certificate_kind="criminal_record",
        certificate_seen_on=date(2026, 1, 5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        application = move(personas, application, stages[-1], note="Velkommen!")
    assert application.status == "active"
    with in_org(personas.org_b):
        membership = Membership.objects.get(
            organisation=personas.org_b, user__email="jonas@example.org"
        )
        peer = Peer.objects.get(user=membership.user)
        assert list(peer.programmes.all()) == [personas.programme_b]
    assert membership.roles == ["peer"]
    assert membership.user.full_name == "Jonas Berg"
    assert (peer.kind, peer.status) == ("volunteer", "active")
    assert peer.experience_areas == ["anxiety"]
    assert peer.municipalities == ["Rudersdal"]
    assert "wed_evening" in peer.availability
    assert application.peer == peer
    assert "jonas@example.org" in [address for message in mail.outbox for address in message.to]

    support_request, _token = make_waiting_request(
        personas.programme_b,
        request_data={
            "purposes": ["wellbeing"],
            "forms": ["individual"],
            "availability": ["evenings"],
        },
    )
    with scope(organisation=personas.org_b.pk):
        suggested = [
            candidate.peer for candidate in candidates_for_request(support_request).candidates
        ]
    assert peer in suggested


def test_an_active_application_cannot_move_again(personas, apply_to, stages):
    application = apply_to()
    move(
        personas,
        application,
        stages[-1],
        certificate_kind="children",
        certificate_seen_on=date(2026, 1, 5),
    )
    with pytest.raises(ValidationError):
        move(personas, application, stages[0])


def test_not_now_ends_kindly(client, personas, apply_to, django_capture_on_commit_callbacks):
    application = apply_to()
    client.force_login(personas.carl)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("volunteers_not_now", args=[application.public_id]),
            {"reason": "own_recovery", "message": "Du er velkommen til at kontakte mig."},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["jonas@example.org"]
    assert "Du er velkommen til at kontakte mig." in message.body
    assert "velkommen til at søge igen" in message.body
    assert "recovery" not in message.body.lower()
    with in_org(personas.org_b):
        application.refresh_from_db()
    assert (application.status, application.not_now_reason) == ("not_now", "own_recovery")


def test_not_now_without_a_reason_keeps_the_words(client, personas, apply_to):
    application = apply_to()
    client.force_login(personas.carl)
    response = client.post(
        reverse("volunteers_not_now", args=[application.public_id]),
        {"reason": "", "message": "Mine egne ord"},
    )
    assert response.status_code == 200
    assert "Mine egne ord" in response.content.decode()
    with in_org(personas.org_b):
        assert Application.objects.get().status == "open"


def test_it_reminds_the_coordinators_once_per_stage(personas, apply_to, stages):
    with time_machine.travel("2026-03-01 10:00 +01:00"):
        application = apply_to()
    with time_machine.travel("2026-03-14 23:30 +01:00"):
        assert tasks.remind_waiting_applications.call() == 0
    with time_machine.travel("2026-03-16 00:30 +01:00"):
        assert tasks.remind_waiting_applications.call() == 1
        assert tasks.remind_waiting_applications.call() == 0
    (message,) = mail.outbox
    assert message.to == ["carl@example.org"]
    assert "Jonas" not in message.body
    with time_machine.travel("2026-03-17 10:00 +01:00"):
        move(personas, application, stages[1])
    with time_machine.travel("2026-04-01 10:00 +02:00"):
        assert tasks.remind_waiting_applications.call() == 1


def test_it_erases_ended_applications_after_the_retention_period(personas, apply_to):
    with time_machine.travel("2026-01-10 10:00 +01:00"):
        ended = apply_to()
        with scope(organisation=personas.org_b.pk):
            services.application_not_now(actor=personas.carl, application=ended, reason="timing")
        kept = apply_to(name="Åben Ansøger")
    # Through the retention rules of the citizen-rights work, the organisation's default period.
    days = retention.category("volunteer_applications").days
    last_kept = date(2026, 1, 10) + timedelta(days=days)
    with time_machine.travel(datetime.combine(last_kept, time(23, 30), tzinfo=COPENHAGEN)):
        done = rights_services.retention_apply(organisation=personas.org_b)
        assert done["volunteer_applications"]["removed"] == 0
    first_erased = last_kept + timedelta(days=1)
    with time_machine.travel(datetime.combine(first_erased, time(0, 30), tzinfo=COPENHAGEN)):
        done = rights_services.retention_apply(organisation=personas.org_b)
        assert done["volunteer_applications"]["removed"] == 1
    with in_org(personas.org_b):
        assert list(Application.objects.all()) == [kept]
    assert LogEntry.objects.filter(action="delete", object_id=str(ended.public_id)).exists()


def test_stages_get_the_organisations_names(client, personas, stages):
    client.force_login(personas.carl)
    data = {f"stage_{stage.pk}": stage.name for stage in stages}
    response = client.post(reverse("volunteers_stages"), {**data, f"stage_{stages[1].pk}": " "})
    assert response.status_code == 200
    response = client.post(
        reverse("volunteers_stages"), {**data, f"stage_{stages[1].pk}": "Kaffe og snak"}
    )
    assert response.status_code == 302
    page = client.get(reverse("volunteers_pipeline")).content.decode()
    assert "Kaffe og snak" in page


def test_the_pipeline_costs_the_same_however_many_apply(client, personas, apply_to, stages):
    client.force_login(personas.carl)
    apply_to()

    def grow():
        for number in range(3):
            application = apply_to(name=f"Ansøger {number}")
            move(personas, application, stages[number + 1])

    response = assert_queries_do_not_grow(client, reverse("volunteers_pipeline"), grow)
    assert "Ansøger 2" in response.content.decode()
