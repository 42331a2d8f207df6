"""What secure messages hold about a citizen: their conversations and every message in them
(the citizen's own and the staff's). Erasure deletes the conversations with their messages and
links; the course itself stays (support's shredder anonymises it)."""

from django.utils.translation import gettext_lazy as _

from brobyg.conversations.models import Conversation, Message
from brobyg.rights.registry import Shredder, citizen_ids, iso


def _conversations(citizens):
    return Conversation.objects.filter(citizen_id__in=citizen_ids(citizens))


def export(*, citizens) -> dict:
    conversations = list(_conversations(citizens).select_related("course").order_by("pk"))
    messages = Message.objects.filter(conversation__in=conversations).select_related("author")
    by_conversation: dict[int, list] = {}
    for message in messages.order_by("id"):
        by_conversation.setdefault(message.conversation_id, []).append(
            {
                "from": "citizen"
                if message.from_citizen
                else (message.author.full_name if message.author_id else "staff"),
                "text": message.text,
                "attachment": message.attachment_name or None,
                "written_at": iso(message.created_at),
            }
        )
    return {
        "conversations": [
            {
                "course": str(conversation.course.public_id),
                "started_at": iso(conversation.created_at),
                "messages": by_conversation.get(conversation.pk, []),
            }
            for conversation in conversations
        ]
    }


def erase(*, citizens) -> dict:
    conversations = _conversations(citizens)
    messages = Message.objects.filter(conversation__in=conversations).count()
    deleted = conversations.count()
    conversations.delete()
    return {"conversations_deleted": deleted, "messages_deleted": messages}


SHREDDER = Shredder(
    name="conversations",
    label=_("Secure messages"),
    models=(
        "conversations.Conversation",
        "conversations.Message",
        "conversations.ConversationLink",
        "conversations.Attachment",
    ),
    export=export,
    erase=erase,
    order=38,
)
