"""The demo shows conversations: the demo peer's, and one handed to the coordinator after a
message with crisis signals."""

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
        conversations = list(Conversation.objects.order_by("pk"))
        assert len(conversations) == 2
        assert conversations[1].state == ConversationState.WITH_COORDINATOR
        assert Message.objects.filter(crisis=True).count() == 1
    client.force_login(User.objects.get(email="peer@brobyg.demo"))
    page = client.get(reverse("conversations_list")).content.decode()
    assert page.count("/conversation/") == 2
    client.force_login(User.objects.get(email="koordinator@brobyg.demo"))
    page = client.get(reverse("conversations_list")).content.decode()
    assert "Krisetegn" in page
