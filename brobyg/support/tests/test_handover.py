"""A hand-over from a paid peer in a municipality (organisation A) to a volunteer peer at the
volunteer centre (organisation B): consent decides exactly what the receiving side sees."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from brobyg.audit.models import LogEntry
from brobyg.people import services as people_services
from brobyg.people.models import Citizen, ConsentPurpose
from brobyg.support import services
from brobyg.support.models import FollowUp, Handover, HandoverStatus, Session
from brobyg.test import in_org


@pytest.fixture
def handover(client, personas, course):
    course.citizen.phone = "22334455"
    with in_org(personas.org_a):
        course.citizen.save()
    client.force_login(personas.bob)
    response = client.post(
        reverse("support_handover_propose", args=[course.public_id]),
        {
            "receiving_programme": personas.programme_b.pk,
            "reason": "Klar til frivillig støtte i fritiden.",
            "note": "Holder af gåture.",
        },
    )
    assert response.status_code == 302
    with in_org(personas.org_a):
        return Handover.objects.get(from_course=course)


def _receiving_page(client, personas, handover):
    client.force_login(personas.carl)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("support_handover_detail", args=[handover.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_without_consent_the_receiving_side_sees_only_the_request(client, personas, handover):
    page = _receiving_page(client, personas, handover)
    assert "Klar til frivillig støtte" in page  # the request itself
    for private in ("Lone Holm", "22334455", "Holder af gåture", "Komme ud blandt andre"):
        assert private not in page
    assert "Nothing is shared" in page


def test_the_receiving_side_sees_exactly_the_consented_fields(client, personas, handover):
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact", "goals"], "method": "in_person"},
    )
    page = _receiving_page(client, personas, handover)
    assert "Lone Holm" in page and "22334455" in page and "Komme ud blandt andre" in page
    assert "Holder af gåture" not in page  # the note was not consented to

    with in_org(personas.org_a):
        people_services.consent_record(
            actor=personas.alice,
            citizen=handover.from_course.citizen,
            purpose=ConsentPurpose.SHARE_WITH_ORGANISATION,
            shared_with=personas.org_b,
            given=False,
            method="phone",
        )
    page = _receiving_page(client, personas, handover)
    assert "Lone Holm" not in page and "22334455" not in page


def test_accepting_starts_a_linked_course_with_a_meeting_and_follow_ups(
    client, personas, handover, vera_peer
):
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact"], "method": "in_person"},
    )
    _receiving_page(client, personas, handover)
    meeting = (timezone.localtime() + timedelta(days=5)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("support_handover_answer", args=[handover.public_id]),
        {
            "answer": "accept",
            "peer": vera_peer.pk,
            "meeting_at": meeting.strftime("%Y-%m-%dT%H:%M"),
            "meeting_place": "Frivilligcenteret",
        },
    )
    assert response.status_code == 302
    with in_org(personas.org_a, personas.org_b):
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.ACCEPTED
        new_course = handover.to_course
        assert new_course.organisation == personas.org_b
        assert list(new_course.peers.all()) == [vera_peer]
        copy = new_course.citizen
        assert (copy.name, copy.phone, copy.municipality) == ("Lone Holm", "22334455", "")
        assert not new_course.goal_versions.exists()  # goals were not consented to
        meetings = Session.objects.filter(kind="bridge", starts_at=meeting)
        assert {s.course_id for s in meetings} == {handover.from_course_id, new_course.pk}
        assert sorted(
            FollowUp.objects.filter(handover=handover).values_list("months", flat=True)
        ) == [3, 6]
        assert Citizen.objects.filter(organisation=personas.org_b, name="Lone Holm").count() == 1

        entries = LogEntry.objects.filter(object_id=str(handover.public_id))
        assert entries.filter(
            action="update", details__consented_fields=["name", "contact"]
        ).exists()
        assert entries.filter(action="update", details__status="accepted").exists()
        reads = entries.filter(action="read")
        assert reads.filter(actor=personas.carl, organisation=personas.org_b).count() == 1
        assert reads.filter(actor=personas.bob).exists()
        consent = LogEntry.objects.filter(
            object_type="people.consent", details__purpose="share_with_organisation"
        )
        assert consent.filter(actor=personas.bob).exists()


def test_a_cross_organisation_course_needs_name_and_contact(
    client, english, personas, handover, vera_peer
):
    client.force_login(personas.carl)
    meeting = timezone.localtime() + timedelta(days=5)
    response = client.post(
        reverse("support_handover_answer", args=[handover.public_id]),
        {
            "answer": "accept",
            "peer": vera_peer.pk,
            "meeting_at": meeting.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "consented to sharing their name and contact details" in response.content.decode()
    with in_org(personas.org_a):
        handover.refresh_from_db()
    assert handover.status == HandoverStatus.PROPOSED


def test_declining_tells_the_sending_side(
    client, personas, handover, django_capture_on_commit_callbacks
):
    client.force_login(personas.carl)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support_handover_answer", args=[handover.public_id]),
            {"answer": "decline", "reason": "Vi har ingen ledige frivillige lige nu."},
        )
    assert response.status_code == 302
    with in_org(personas.org_a):
        handover.refresh_from_db()
    assert handover.status == HandoverStatus.DECLINED


def test_a_withdrawn_hand_over_shows_the_receiving_side_nothing(client, personas, handover):
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact", "goals"], "method": "in_person"},
    )
    assert "Lone Holm" in _receiving_page(client, personas, handover)
    client.force_login(personas.bob)
    client.post(reverse("support_handover_withdraw", args=[handover.public_id]))
    page = _receiving_page(client, personas, handover)
    assert "Lone Holm" not in page and "22334455" not in page and "Komme ud" not in page


def test_a_course_from_a_hand_over_starts_on_the_meetings_local_day(
    client, personas, handover, vera_peer
):
    """A meeting at half past midnight in Copenhagen is on that day, not on the UTC day before."""
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact"], "method": "in_person"},
    )
    meeting = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)  # 00:30 on Sunday 28 March in Copenhagen
    with (
        time_machine.travel(datetime(2027, 3, 20, 12, 0, tzinfo=UTC), tick=False),
        in_org(personas.org_b),
    ):
        course = services.handover_accept(
            actor=personas.carl, handover=handover, peer=vera_peer, meeting_at=meeting
        )
        follow_ups = FollowUp.objects.filter(handover=handover).order_by("months")
        assert course.started_on == date(2027, 3, 28)
        assert [f.due_on for f in follow_ups] == [date(2027, 6, 28), date(2027, 9, 28)]


def test_carried_goals_say_where_they_were_written_not_who_accepted(
    client, personas, handover, vera_peer
):
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact", "goals"], "method": "in_person"},
    )
    meeting = timezone.now() + timedelta(days=3)
    with in_org(personas.org_b):
        course = services.handover_accept(
            actor=personas.carl, handover=handover, peer=vera_peer, meeting_at=meeting
        )
        assert course.goal_versions.get().text == "Komme ud blandt andre igen."
    client.force_login(personas.carl)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("support_course_detail", args=[course.public_id])).content.decode()
    assert "Carried over with the hand-over from Testkommune, where it was written" in page
    assert personas.carl.full_name not in page[page.index('id="goals"') :][:1500]


def test_accepting_tells_the_receiving_peer_and_the_citizen_of_the_meeting(
    client, personas, handover, vera_peer, django_capture_on_commit_callbacks
):
    with in_org(personas.org_a):
        citizen = handover.from_course.citizen
        citizen.email = "lone@example.org"
        citizen.save()
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact"], "method": "in_person"},
    )
    mail.outbox.clear()
    meeting = datetime(2027, 3, 16, 14, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with (
        time_machine.travel(datetime(2027, 3, 10, 12, 0, tzinfo=UTC), tick=False),
        in_org(personas.org_b),
        django_capture_on_commit_callbacks(execute=True),
    ):
        course = services.handover_accept(
            actor=personas.carl,
            handover=handover,
            peer=vera_peer,
            meeting_at=meeting,
            meeting_place="Frivilligcentret, Holte",
        )
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    to_peer = by_recipient[(personas.vera.email,)]
    assert str(course.public_id) in to_peer.body and "Lone" not in to_peer.body
    to_citizen = by_recipient[("lone@example.org",)]
    assert "tirsdag 16. marts 2027 14:00" in to_citizen.body
    assert "Frivilligcentret, Holte" in to_citizen.body
    assert personas.org_b.name in to_citizen.body


def test_the_receiving_course_is_planned_with_what_was_consented(
    client, personas, handover, vera_peer
):
    """Not an empty "Started" course: until the meeting it is planned, with a review three
    months on and what the support is about carried over with the consented goals."""
    with in_org(personas.org_a):
        sending = handover.from_course
        sending.purposes = ["community", "wellbeing"]
        sending.form = "activity"
        sending.save()
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact", "goals"], "method": "in_person"},
    )
    meeting = datetime(2027, 3, 16, 14, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(datetime(2027, 3, 10, 12, 0, tzinfo=UTC), tick=False):
        with in_org(personas.org_b):
            course = services.handover_accept(
                actor=personas.carl, handover=handover, peer=vera_peer, meeting_at=meeting
            )
            assert course.review_on == date(2027, 6, 16)
            assert (course.purposes, course.form) == (["community", "wellbeing"], "activity")
        client.force_login(personas.carl)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(reverse("support_course_detail", args=[course.public_id]))
        page = page.content.decode()
        assert "<strong>Planned</strong>" in page and "<dt>Starts</dt>" in page
        assert "<dt>Started</dt>" not in page
        about = page[page.index("What the support is about") :].split("</dd>")[0]
        assert "Belonging to the local community" in about
    with time_machine.travel(datetime(2027, 3, 16, 13, 30, tzinfo=UTC), tick=False):
        client.force_login(personas.carl)
        page = client.get(reverse("support_course_detail", args=[course.public_id]))
        assert "<dt>Started</dt>" in page.content.decode()


def test_without_consented_goals_the_receiving_course_takes_its_programmes_purposes(
    client, personas, handover, vera_peer
):
    with in_org(personas.org_a, personas.org_b):
        handover.from_course.purposes = ["illness_management"]
        handover.from_course.save()
        programme = personas.programme_b
        programme.purposes = ["community"]
        programme.save()
    client.force_login(personas.bob)
    client.post(
        reverse("support_handover_consent", args=[handover.public_id]),
        {"fields_shared": ["name", "contact"], "method": "in_person"},
    )
    with in_org(personas.org_b):
        course = services.handover_accept(
            actor=personas.carl,
            handover=handover,
            peer=vera_peer,
            meeting_at=timezone.now() + timedelta(days=3),
        )
        assert course.purposes == ["community"]
