"""Secure messages: the peer writes, the citizen answers by their link, notifications say only
that a message waits, crisis signals alert the coordinators, answering hours, hand-over and
pause, polling, bad input, and the audit log."""

import logging
import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from brobyg.audit.models import Action, LogEntry
from brobyg.conversations import services
from brobyg.conversations.models import Conversation, ConversationState, Message
from brobyg.conversations.tests.helpers import bob_writes
from brobyg.sms import backends as sms_backends
from brobyg.test import in_org, make_member, make_peer, make_user

LOCAL = ZoneInfo(settings.TIME_ZONE)
# A Tuesday at 10 and a Saturday at noon, Copenhagen time: inside and outside the default hours.
TUESDAY_MORNING = datetime(2026, 12, 8, 10, 0, tzinfo=LOCAL)
SATURDAY_NOON = datetime(2026, 12, 12, 12, 0, tzinfo=LOCAL)


def _staff_url(course, name="conversations_conversation"):
    return reverse(name, args=[course.public_id])


def _link_in(body: str) -> str:
    return re.search(r"https?://\S+/messages/\S+/", body).group(0)


def _citizen_path(link: str) -> str:
    return link[link.index("/messages/") :]


def _peer_writes(client, personas, course, text, capture):
    client.force_login(personas.bob)
    with capture(execute=True):
        response = client.post(_staff_url(course), {"text": text})
    assert response.status_code == 302
    return response


@time_machine.travel(TUESDAY_MORNING)
def test_the_citizen_answers_their_peer_and_nobody_is_told_what_was_written(
    client, personas, course, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    _peer_writes(
        client,
        personas,
        course,
        "Hej Lone, skal vi gå en tur torsdag?",
        django_capture_on_commit_callbacks,
    )
    notice = mail.outbox[-1]
    assert notice.to == ["lone@example.org"]
    assert "tur torsdag" not in notice.body and "tur torsdag" not in notice.subject
    path = _citizen_path(_link_in(notice.body))
    client.logout()
    mail.outbox.clear()

    page = client.get(path)
    assert page.status_code == 200
    assert "Hej Lone, skal vi gå en tur torsdag?" in page.content.decode()
    assert page["Referrer-Policy"] == "strict-origin"
    assert 'id="outside-hours"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(path, {"text": "Ja, gerne! Kl. 14?"})
    assert answer.status_code == 302
    assert [m.to for m in mail.outbox] == [[personas.bob.email]]
    assert "Kl. 14" not in mail.outbox[0].body

    client.force_login(personas.bob)
    staff_page = client.get(_staff_url(course)).content.decode()
    assert "Ja, gerne! Kl. 14?" in staff_page
    with in_org(personas.org_a):
        reads = LogEntry.objects.filter(
            action=Action.READ, subject_id=str(course.citizen.public_id), reason="conversation"
        )
        assert reads.filter(actor=personas.bob).exists()
        assert LogEntry.objects.filter(
            action=Action.READ, reason="citizen's own conversation"
        ).exists()
    assert "tur torsdag" not in caplog.text and "Kl. 14" not in caplog.text


@time_machine.travel(TUESDAY_MORNING)
def test_polling_returns_only_the_new_messages(client, personas, course):
    with in_org(personas.org_a):
        first = services.message_write(actor=personas.bob, course=course, text="Første besked")
        conversation = first.conversation
        token = services.link_create(conversation=conversation)
    client.force_login(personas.bob)
    url = _staff_url(course, "conversations_new")
    assert client.get(url, {"after": first.pk}).status_code == 204
    with in_org(personas.org_a):
        second = services.citizen_writes(conversation=conversation, text="Andet svar")
    response = client.get(url, {"after": first.pk})
    body = response.content.decode()
    assert "Andet svar" in body and "Første besked" not in body
    assert f"after={second.pk}" in body
    client.logout()
    citizen_new = reverse("conversations_citizen_new", args=[token])
    assert client.get(citizen_new, {"after": second.pk}).status_code == 204
    assert "Andet svar" in client.get(citizen_new, {"after": first.pk}).content.decode()


@time_machine.travel(TUESDAY_MORNING)
def test_a_crisis_message_shows_help_at_once_and_alerts_the_coordinators(
    client, personas, course, django_capture_on_commit_callbacks
):
    _conversation, token = bob_writes(personas, course, "Hvordan går det?")
    path = reverse("conversations_citizen", args=[token])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"text": "Jeg har tænkt på at tage mit eget liv"})
    page = client.get(path).content.decode()
    assert 'id="crisis-help"' in page
    assert 'href="tel:112"' in page and 'href="tel:1813"' in page and "70 201 201" in page
    alerts = [m for m in mail.outbox if personas.alice.email in m.to]
    assert alerts and "tage mit eget liv" not in alerts[0].body
    assert reverse("conversations_conversation", args=[course.public_id]) in alerts[0].body
    with in_org(personas.org_a):
        assert Message.objects.get(from_citizen=True).crisis
    client.force_login(personas.alice)
    assert "Crisis signals" in client.get(reverse("conversations_list")).content.decode() or (
        "Krisetegn" in client.get(reverse("conversations_list")).content.decode()
    )


@time_machine.travel(TUESDAY_MORNING)
def test_an_ordinary_message_shows_no_crisis_help_and_alerts_nobody_extra(
    client, personas, course, django_capture_on_commit_callbacks
):
    _conversation, token = bob_writes(personas, course)
    path = reverse("conversations_citizen", args=[token])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"text": "Jeg døde næsten af grin i går"})
    assert 'id="crisis-help"' not in client.get(path).content.decode()
    assert [m.to for m in mail.outbox] == [[personas.bob.email]]


def test_outside_the_answering_hours_the_citizen_is_told_when_and_where_to_turn(
    client, personas, course
):
    _conversation, token = bob_writes(personas, course)
    path = reverse("conversations_citizen", args=[token])
    with time_machine.travel(SATURDAY_NOON):
        page = client.get(path).content.decode()
    assert 'id="outside-hours"' in page
    assert "mandag 14. december 2026 09:00" in page
    assert 'href="tel:1813"' in page
    with time_machine.travel(TUESDAY_MORNING):
        assert 'id="outside-hours"' not in client.get(path).content.decode()


def test_an_organisations_answering_hours_and_words_are_its_own(client, personas, course):
    client.force_login(personas.alice)
    url = reverse("conversations_answering_hours")
    bad = client.post(url, {"weekdays": ["5"], "opens_at": "16:00", "closes_at": "10:00"})
    assert bad.status_code == 200
    assert "Slutningen skal være efter starten." in bad.content.decode()
    assert 'value="16:00"' in bad.content.decode()
    ok = client.post(
        url,
        {
            "weekdays": ["5", "6"],
            "opens_at": "10:00",
            "closes_at": "14:00",
            "extra_crisis_words": "giver op\n",
        },
    )
    assert ok.status_code == 302
    conversation, token = bob_writes(personas, course)
    with in_org(personas.org_a):
        message = services.citizen_writes(conversation=conversation, text="Jeg giver op")
        assert message.crisis
    client.logout()
    with time_machine.travel(SATURDAY_NOON):
        assert (
            'id="outside-hours"'
            not in client.get(reverse("conversations_citizen", args=[token])).content.decode()
        )


@time_machine.travel(TUESDAY_MORNING)
def test_the_peer_hands_over_and_pauses_and_the_coordinator_answers(
    client, personas, course, django_capture_on_commit_callbacks
):
    conversation, _token = bob_writes(personas, course, link=False)
    client.force_login(personas.bob)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_staff_url(course, "conversations_hand_over"))
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.WITH_COORDINATOR
    assert [m.to for m in mail.outbox] == [[personas.alice.email]]
    refused = client.post(_staff_url(course), {"text": "Må jeg stadig skrive?"})
    assert refused.status_code == 200
    with in_org(personas.org_a):
        assert not Message.objects.filter(text="Må jeg stadig skrive?").exists()
    mail.outbox.clear()
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        services.citizen_writes(conversation=conversation, text="Er der nogen?")
    assert [m.to for m in mail.outbox] == [[personas.alice.email]]
    client.force_login(personas.alice)
    assert client.post(_staff_url(course), {"text": "Ja, jeg er her."}).status_code == 302
    client.post(_staff_url(course, "conversations_resume"))
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.ACTIVE
    client.force_login(personas.bob)
    client.post(_staff_url(course, "conversations_pause"))
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.PAUSED


@time_machine.travel(TUESDAY_MORNING)
def test_bad_input_is_refused_with_a_danish_message_and_nothing_saved(client, personas, course):
    client.force_login(personas.bob)
    empty = client.post(_staff_url(course), {"text": "   "})
    assert "Skriv en besked." in empty.content.decode()
    too_long = client.post(_staff_url(course), {"text": "x" * 2001})
    assert too_long.status_code == 200
    assert "En besked må højst være på 2000 tegn." in too_long.content.decode()
    assert "x" * 2001 in too_long.content.decode()
    with in_org(personas.org_a):
        assert not Conversation.objects.exists()
        assert not Message.objects.exists()


def test_a_peer_sees_only_their_own_courses_conversations(client, personas, course):
    other = make_user("olga@example.org", "Olga Peer")
    make_member(personas.org_a, other, ["peer"])
    make_peer(personas.org_a, other, [personas.programme_a])
    with in_org(personas.org_a):
        services.message_write(actor=personas.bob, course=course, text="Hej")
    client.force_login(other)
    assert client.get(_staff_url(course)).status_code == 404
    assert client.get(_staff_url(course, "conversations_new")).status_code == 404
    assert "Lone Holm" not in client.get(reverse("conversations_list")).content.decode()
    client.force_login(personas.bob)
    assert "Lone Holm" in client.get(reverse("conversations_list")).content.decode()


def test_a_citizen_with_only_a_phone_gets_a_text_without_the_message(
    personas, bob_peer, django_capture_on_commit_callbacks
):
    from brobyg.test import make_course

    course = make_course(
        personas.programme_a,
        bob_peer,
        actor=personas.alice,
        linked=False,
        name="Kim Berg",
        email="",
        phone="20 30 40 50",
    )
    with in_org(personas.org_a):
        sms_backends.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.message_write(actor=personas.bob, course=course, text="Hemmelig plan")
    assert len(sms_backends.outbox) == 1
    text = sms_backends.outbox[0]["text"]
    assert "/messages/" in text and "Hemmelig" not in text and "Bob" not in text


def test_an_unknown_or_expired_link_is_not_found(client, personas, course):
    assert client.get(reverse("conversations_citizen", args=["nope"])).status_code == 404
    conversation, token = bob_writes(personas, course)
    with time_machine.travel(
        datetime.combine(
            conversation.created_at.date().replace(year=conversation.created_at.year + 1), time(12)
        ).replace(tzinfo=LOCAL)
    ):
        assert client.get(reverse("conversations_citizen", args=[token])).status_code == 404


def test_the_organisation_page_links_to_the_answering_hours(client, personas):
    client.force_login(personas.ada)
    page = client.get(reverse("organisation_edit")).content.decode()
    assert reverse("conversations_answering_hours") in page
