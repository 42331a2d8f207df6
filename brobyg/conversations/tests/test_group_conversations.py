"""Group messages: a group course's facilitators write to every member or to one; each member
reads by their own link and sees only the messages to everyone and their own, never another
member's words or contact details; crisis words alert the coordinators; audit, export, erasure
and retention cover the group's conversation."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from brobyg.audit.models import Action, LogEntry
from brobyg.conversations import services
from brobyg.conversations.models import Conversation, ConversationLink, Message
from brobyg.groups import services as group_services
from brobyg.groups.tests.helpers import add_people, make_group
from brobyg.rights.models import RequestKind
from brobyg.rights.selectors import citizen_export
from brobyg.rights.services import citizen_erase, data_request_register
from brobyg.sms import backends as sms_backends
from brobyg.test import in_org, make_peer, make_waiting_request

from .test_conversations import SATURDAY_NOON, TUESDAY_MORNING


def _member(personas, group, name, **contact):
    support_request, _token = make_waiting_request(personas.programme_a, name=name, **contact)
    with in_org(personas.org_a):
        return group_services.participant_add(
            actor=personas.alice, group=group, kind="citizen", citizen=support_request.citizen
        )


def _finish(personas, group):
    group_services.group_start(actor=personas.alice, group=group)
    group_services.group_finish(actor=personas.alice, group=group)


@pytest.fixture
def group(personas, bob_peer):
    return make_group(personas, facilitators=[bob_peer])


@pytest.fixture
def members(personas, group):
    lone = _member(personas, group, "Lone Holm", email="lone@example.org", phone="20304050")
    mads = _member(personas, group, "Mads Berg", email="mads@example.org", phone="20304051")
    return lone, mads


def _url(group, name="conversations_group_conversation"):
    return reverse(name, args=[group.public_id])


def _links(outbox) -> dict[str, str]:
    """Each recipient's own link, by address."""
    found = {}
    for notice in outbox:
        [address] = notice.to
        link = re.search(r"https?://\S+/messages/\S+/", notice.body).group(0)
        found[address] = link[link.index("/messages/") :]
    return found


def _bob_writes(client, personas, group, capture, **data):
    client.force_login(personas.bob)
    with capture(execute=True):
        response = client.post(_url(group), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()


@time_machine.travel(TUESDAY_MORNING)
def test_members_read_the_group_message_and_never_each_others_words(
    client, personas, group, members, django_capture_on_commit_callbacks
):
    lone, _mads = members
    _bob_writes(
        client,
        personas,
        group,
        django_capture_on_commit_callbacks,
        text="Hej alle, vi mødes i haven på torsdag.",
    )
    # One e-mail per member, each with only their own address and their own link; no words.
    assert sorted(m.to[0] for m in mail.outbox) == ["lone@example.org", "mads@example.org"]
    assert all(len(m.to) == 1 and "haven" not in m.body for m in mail.outbox)
    links = _links(mail.outbox)
    assert links["lone@example.org"] != links["mads@example.org"]
    mail.outbox.clear()

    page = client.get(links["lone@example.org"]).content.decode()
    assert "vi mødes i haven" in page
    assert "aldrig af gruppens andre deltagere" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(links["lone@example.org"], {"text": "Jeg kommer lidt senere"}).status_code
            == 302
        )
    # The facilitator is told, without the words.
    assert [m.to for m in mail.outbox] == [[personas.bob.email]]
    assert "senere" not in mail.outbox[0].body

    other = client.get(links["mads@example.org"]).content.decode()
    assert "vi mødes i haven" in other
    assert "Jeg kommer lidt senere" not in other and "Lone" not in other
    assert "lone@example.org" not in other and "20304050" not in other
    poll = client.get(links["mads@example.org"] + "new/", {"after": 0}).content.decode()
    assert "Jeg kommer lidt senere" not in poll

    client.force_login(personas.bob)
    staff = client.get(_url(group)).content.decode()
    assert "Jeg kommer lidt senere" in staff and "Lone Holm" in staff
    with in_org(personas.org_a):
        entries = LogEntry.objects.filter(
            action=Action.READ, object_type="conversations.conversation"
        )
        assert entries.filter(subject_id=str(lone.citizen.public_id)).exists()


@time_machine.travel(TUESDAY_MORNING)
def test_an_answer_to_one_member_is_read_by_that_member_only(
    client, personas, group, members, django_capture_on_commit_callbacks
):
    lone, mads = members
    _bob_writes(
        client,
        personas,
        group,
        django_capture_on_commit_callbacks,
        to=str(lone.public_id),
        text="Lone, du kan sagtens komme senere.",
    )
    assert [m.to for m in mail.outbox] == [["lone@example.org"]]
    with in_org(personas.org_a):
        message = Message.objects.get()
        assert message.participant == lone
        services.link_create(conversation=message.conversation, participant=mads)
        mads_link = services.link_create(conversation=message.conversation, participant=mads)
    lone_link = _links(mail.outbox)["lone@example.org"]
    assert "sagtens komme senere" in client.get(lone_link).content.decode()
    assert "sagtens komme senere" not in client.get(f"/messages/{mads_link}/").content.decode()


@time_machine.travel(TUESDAY_MORNING)
def test_bad_input_keeps_the_form_and_saves_nothing(client, personas, group, members):
    client.force_login(personas.bob)
    response = client.post(_url(group), {"to": "not-a-member", "text": "Hej alle"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hej alle" in page
    with in_org(personas.org_a):
        assert not Message.objects.exists()


@time_machine.travel(TUESDAY_MORNING)
def test_a_member_without_an_address_gets_a_text_and_waiting_people_nothing(
    client, personas, group, settings, django_capture_on_commit_callbacks
):
    settings.BROBYG_SMS_BACKEND = "locmem"
    lone = _member(personas, group, "Lone Holm", email="", phone="20304050")
    with in_org(personas.org_a):
        group.capacity = 1
        group.save(update_fields=["capacity"])
    waiting = add_people(group, 1)[0]
    assert waiting.status == "waiting"
    _bob_writes(client, personas, group, django_capture_on_commit_callbacks, text="Hej alle")
    assert mail.outbox == []
    [text] = sms_backends.outbox
    assert text["msisdn"] == "4520304050" and "Hej alle" not in text["text"]
    with in_org(personas.org_a):
        assert list(ConversationLink.objects.values_list("participant", flat=True)) == [lone.pk]


@time_machine.travel(SATURDAY_NOON)
def test_crisis_words_from_a_member_show_help_and_alert_the_coordinators(
    client, personas, group, members, django_capture_on_commit_callbacks
):
    lone, _mads = members
    with in_org(personas.org_a):
        conversation = services.conversation_for_group(actor=personas.bob, group=group)
        token = services.link_create(conversation=conversation, participant=lone)
    path = f"/messages/{token}/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"text": "Jeg vil ikke leve mere"})
    page = client.get(path).content.decode()
    assert 'id="crisis-help"' in page and "1813" in page
    assert 'id="outside-hours"' in page
    alerts = [m for m in mail.outbox if personas.alice.email in m.to]
    assert alerts and "leve" not in alerts[0].body
    assert _url(group) in alerts[0].body


def test_only_members_write_and_a_finished_group_takes_no_messages(personas, group, members):
    lone, _mads = members
    other_group = make_group(personas, facilitators=[])
    stranger = add_people(other_group, 1)[0]
    with in_org(personas.org_a):
        conversation = services.group_message_write(
            actor=personas.bob, group=group, text="Hej"
        ).conversation
        with pytest.raises(ValidationError):
            services.citizen_writes(conversation=conversation, participant=stranger, text="Hej")
        with pytest.raises(ValidationError):
            services.citizen_writes(conversation=conversation, text="Hej")
        _finish(personas, group)
        conversation.refresh_from_db()
        with pytest.raises(ValidationError):
            services.citizen_writes(conversation=conversation, participant=lone, text="Hej")
        assert not Message.objects.filter(from_citizen=True).exists()


def test_a_member_opens_the_group_on_a_new_device_with_a_code(
    client, personas, group, members, django_capture_on_commit_callbacks
):
    from .test_device import _open_with_code

    with in_org(personas.org_a):
        conversation = services.group_message_write(
            actor=personas.bob, group=group, text="Velkommen til gruppen"
        ).conversation
    assert _open_with_code(client, django_capture_on_commit_callbacks).status_code == 302
    url = reverse("conversations_device_conversation", args=[conversation.public_id])
    assert url in client.get(reverse("conversations_device_start")).content.decode()
    assert "Velkommen til gruppen" in client.get(url).content.decode()
    assert client.post(url, {"text": "Tak!"}).status_code == 302
    with in_org(personas.org_a):
        assert Message.objects.get(from_citizen=True).participant == members[0]


def test_another_facilitators_group_is_not_found(client, personas, group):
    vera_like = make_peer(personas.org_a, personas.alice, [personas.programme_a])
    other = make_group(personas, facilitators=[vera_like])
    client.force_login(personas.bob)
    assert client.get(_url(other)).status_code == 404
    assert client.get(_url(group)).status_code == 200


def test_export_erasure_and_retention_cover_the_group_conversation(personas, group, members):
    lone, mads = members
    with in_org(personas.org_a):
        conversation = services.group_message_write(
            actor=personas.bob, group=group, text="Til alle"
        ).conversation
        services.group_message_write(actor=personas.bob, group=group, text="Til Mads", to=mads)
        services.citizen_writes(conversation=conversation, participant=lone, text="Fra Lone")
        services.citizen_writes(conversation=conversation, participant=mads, text="Fra Mads")
        services.link_create(conversation=conversation, participant=lone)

        [part] = citizen_export(lone.citizen)["parts"]["conversations"]["group_conversations"]
        assert [m["text"] for m in part["messages"]] == ["Til alle", "Fra Lone"]

        data_request = data_request_register(
            actor=personas.per, citizen=lone.citizen, kind=RequestKind.ERASURE
        )
        citizen_erase(actor=personas.per, data_request=data_request)
        assert sorted(Message.objects.values_list("text", flat=True)) == [
            "Fra Mads",
            "Til Mads",
            "Til alle",
        ]
        assert not ConversationLink.objects.filter(participant=lone).exists()

        _finish(personas, group)
        group.refresh_from_db()
        from django.conf import settings

        ended = group.status_changed_at
        days = settings.BROBYG_MESSAGE_RETENTION_DAYS
        with time_machine.travel(ended + timedelta(days=days - 1)):
            assert services.purge_expired()["conversations"] == 0
        with time_machine.travel(ended + timedelta(days=days + 2)):
            assert services.purge_expired()["conversations"] == 1
        assert not Conversation.objects.exists()
