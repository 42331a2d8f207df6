"""The demo shows conversations: the demo peer's, one handed to the coordinator after a
message with crisis signals, and the volunteer centre's walking group's."""

import io

from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.conversations.models import Conversation, ConversationState, Message
from brobyg.orgs.models import User


def test_the_demo_has_conversations(db, settings, client):
    settings.DEMO_MODE = True
    with scopes_disabled():
        call_command("seed_demo", stdout=io.StringIO())
        conversations = list(Conversation.objects.filter(group=None).order_by("pk"))
        assert len(conversations) == 2
        assert conversations[1].state == ConversationState.WITH_COORDINATOR
        group_conversation = Conversation.objects.get(group__isnull=False)
        assert group_conversation.messages.filter(participant=None).exists()
        assert group_conversation.messages.filter(from_citizen=True).count() == 1
        assert Message.objects.filter(crisis=True).count() == 1
    client.force_login(User.objects.get(email="peer@brobyg.demo"))
    page = client.get(reverse("conversations_list")).content.decode()
    assert page.count("/conversation/") == 2
    client.force_login(User.objects.get(email="koordinator@brobyg.demo"))
    page = client.get(reverse("conversations_list")).content.decode()
    assert "Krisetegn" in page
    client.force_login(User.objects.get(email="frivillig@brobyg.demo"))
    page = client.get(reverse("conversations_list")).content.decode()
    assert "Gå-gruppen" in page
    group_page = client.get(
        reverse("conversations_group_conversation", args=[group_conversation.group.public_id])
    ).content.decode()
    assert "går lidt langsomt" in group_page
