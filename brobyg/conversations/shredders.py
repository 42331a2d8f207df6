"""What secure messages hold about a citizen: their course conversations and every message in
them (the citizen's own and the staff's), and in the group courses they are a member of, the
messages they could read there (to the whole group and to them) and their own. Erasure deletes
the course conversations with their messages and links (the course itself stays: support's
shredder anonymises it) and, in groups, the member's own messages, the messages to them only and
their links; the messages to the whole group stay for the others."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobyg.conversations.models import Conversation, ConversationLink, Message
from brobyg.rights.registry import Shredder, citizen_ids, iso


def _conversations(citizens):
    return Conversation.objects.filter(citizen_id__in=citizen_ids(citizens))


def _memberships(citizens):
    from brobyg.groups.models import Participant

    return Participant.objects.filter(citizen_id__in=citizen_ids(citizens))


def _row(message) -> dict:
    return {
        "from": "citizen"
        if message.from_citizen
        else (message.author.full_name if message.author_id else "staff"),
        "text": message.text,
        "attachment": message.attachment_name or None,
        "written_at": iso(message.created_at),
    }


def export(*, citizens) -> dict:
    conversations = list(_conversations(citizens).select_related("course").order_by("pk"))
    messages = Message.objects.filter(conversation__in=conversations).select_related("author")
    by_conversation: dict[int, list] = {}
    for message in messages.order_by("id"):
        by_conversation.setdefault(message.conversation_id, []).append(_row(message))
    groups = []
    for member in _memberships(citizens).select_related("group").order_by("pk"):
        shown = (
            Message.objects.filter(conversation__group_id=member.group_id)
            .filter(Q(participant__isnull=True) | Q(participant=member))
            .select_related("author")
            .order_by("id")
        )
        rows = [_row(message) for message in shown]
        if rows:
            groups.append({"group": str(member.group.public_id), "messages": rows})
    return {
        "conversations": [
            {
                "course": str(conversation.course.public_id),
                "started_at": iso(conversation.created_at),
                "messages": by_conversation.get(conversation.pk, []),
            }
            for conversation in conversations
        ],
        "group_conversations": groups,
    }


def erase(*, citizens) -> dict:
    conversations = _conversations(citizens)
    messages = Message.objects.filter(conversation__in=conversations).count()
    deleted = conversations.count()
    conversations.delete()
    members = _memberships(citizens)
    own = Message.objects.filter(participant__in=members)
    group_messages = own.count()
    own.delete()
    ConversationLink.objects.filter(participant__in=members).delete()
    return {
        "conversations_deleted": deleted,
        "messages_deleted": messages,
        "group_messages_deleted": group_messages,
    }


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
