"""Peer care's breaks: when a peer's break starts their conversations pause (the coordinators
answer, the citizen sees a kind notice), when it ends they go back to the peer; all in the
break's own transaction, through peer care's break hook."""

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from brobyg.conversations import services
from brobyg.conversations.models import ConversationState
from brobyg.conversations.tests.helpers import bob_writes
from brobyg.groups.tests.helpers import make_group
from brobyg.peercare import extensions as peercare_extensions
from brobyg.peercare import services as peercare
from brobyg.people.models import PeerStatus
from brobyg.test import in_org, make_peer

from .test_conversations import TUESDAY_MORNING


def _conversation(personas, course):
    conversation, token = bob_writes(personas, course, "Hej Lone")
    return conversation, f"/messages/{token}/"


@time_machine.travel(TUESDAY_MORNING)
def test_a_break_pauses_the_peers_conversations_and_its_end_resumes_them(
    client, personas, course, bob_peer, django_capture_on_commit_callbacks
):
    conversation, path = _conversation(personas, course)
    mail.outbox.clear()
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        peercare.pause_take(actor=personas.bob, peer=bob_peer)
        conversation.refresh_from_db()
    assert conversation.state == ConversationState.PAUSED
    notices = [m for m in mail.outbox if personas.alice.email in m.to]
    assert any("/conversations/" in m.body for m in notices)

    page = client.get(path).content.decode()
    assert 'id="peer-on-break"' in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"text": "Er du der?"})
    assert [m.to for m in mail.outbox if "Er du der" not in m.body] == [[personas.alice.email]]
    with in_org(personas.org_a), pytest.raises(ValidationError):
        services.message_write(actor=personas.bob, course=course, text="Jeg er her")

    with in_org(personas.org_a):
        bob_peer.refresh_from_db()
        peercare.pause_resume(actor=personas.bob, peer=bob_peer)
        conversation.refresh_from_db()
    assert conversation.state == ConversationState.ACTIVE
    assert 'id="peer-on-break"' not in client.get(path).content.decode()


def test_a_handed_over_conversation_stays_with_the_coordinators(personas, course, bob_peer):
    conversation, _path = _conversation(personas, course)
    with in_org(personas.org_a):
        services.conversation_hand_to_coordinator(actor=personas.bob, conversation=conversation)
        peercare.pause_take(actor=personas.bob, peer=bob_peer)
        bob_peer.refresh_from_db()
        peercare.pause_resume(actor=personas.bob, peer=bob_peer)
        conversation.refresh_from_db()
    assert conversation.state == ConversationState.WITH_COORDINATOR


def test_the_break_and_the_pause_commit_together(personas, course, bob_peer):
    conversation, _path = _conversation(personas, course)

    def fails(**kwargs):
        raise RuntimeError("a later step failed")

    peercare_extensions.register_break_step("zz_fails", fails)
    try:
        with in_org(personas.org_a), pytest.raises(RuntimeError):
            peercare.pause_take(actor=personas.bob, peer=bob_peer)
    finally:
        peercare_extensions._BREAK_STEPS.pop("zz_fails")
    with in_org(personas.org_a):
        conversation.refresh_from_db()
        bob_peer.refresh_from_db()
    assert conversation.state == ConversationState.ACTIVE
    assert bob_peer.status == PeerStatus.ACTIVE


def test_a_group_pauses_only_when_every_facilitator_is_on_a_break(personas, bob_peer):
    other_user = personas.maja
    other = make_peer(personas.org_a, other_user, [personas.programme_a])
    group = make_group(personas, facilitators=[bob_peer, other])
    with in_org(personas.org_a):
        conversation = services.conversation_for_group(actor=personas.bob, group=group)
        peercare.pause_take(actor=personas.bob, peer=bob_peer)
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.ACTIVE
        peercare.pause_take(actor=other_user, peer=other)
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.PAUSED
        bob_peer.refresh_from_db()
        peercare.pause_resume(actor=personas.bob, peer=bob_peer)
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.ACTIVE
