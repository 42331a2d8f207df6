"""Reads for secure messages: who sees which conversation, the messages of a page and of a poll,
the citizen's link, and the organisation's answering hours."""

from datetime import datetime, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.conversations.models import (
    ConversationLink,
    ConversationSettings,
    Message,
)
from brobyg.lib.links import token_digest
from brobyg.support.selectors import courses_visible_to

MESSAGES_SHOWN = 100


def conversations_visible_to(membership):
    """The conversations of the courses the member sees (``courses_visible_to``: a coordinator
    every course, a peer their own)."""
    from brobyg.conversations.models import Conversation

    return Conversation.objects.filter(
        organisation=membership.organisation, course__in=courses_visible_to(membership)
    ).select_related("course", "citizen")


def latest_messages(conversation, *, limit: int = MESSAGES_SHOWN) -> tuple[list[Message], bool]:
    """The latest ``limit`` messages, oldest first, and whether there are earlier ones."""
    newest_first = list(
        Message.objects.filter(
            organisation_id=conversation.organisation_id, conversation=conversation
        )
        .select_related("author")
        .order_by("-id")[: limit + 1]
    )
    more = len(newest_first) > limit
    return list(reversed(newest_first[:limit])), more


def all_messages(conversation) -> list[Message]:
    return list(
        Message.objects.filter(
            organisation_id=conversation.organisation_id, conversation=conversation
        )
        .select_related("author")
        .order_by("id")
    )


def messages_after(conversation, after_id: int) -> list[Message]:
    """The messages newer than ``after_id``, oldest first (what a poll returns)."""
    return list(
        Message.objects.filter(
            organisation_id=conversation.organisation_id,
            conversation=conversation,
            id__gt=after_id,
        )
        .select_related("author")
        .order_by("id")[:MESSAGES_SHOWN]
    )


def conversation_by_link_token(token: str):
    """The conversation a citizen's link opens, or None if unknown or expired. Read across
    scopes: the citizen has no account, the token is the authorisation."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        link = (
            ConversationLink.objects.select_related(
                "conversation__course", "conversation__citizen", "organisation"
            )
            .filter(token_digest=token_digest(token))
            .first()
        )
    if link is None or link.expires_at <= timezone.now():
        return None
    return link.conversation


def settings_of(organisation) -> ConversationSettings:
    """The organisation's settings, or the defaults (not saved) when it has set none."""
    with scopes_disabled():
        found = ConversationSettings.objects.filter(organisation=organisation).first()
    return found or ConversationSettings(organisation=organisation)


def is_answering(conversation_settings, moment: datetime | None = None) -> bool:
    """Whether ``moment`` (now by default) falls in the answering hours, in local time."""
    local = timezone.localtime(moment or timezone.now())
    return (
        local.weekday() in conversation_settings.weekdays
        and conversation_settings.opens_at <= local.time() < conversation_settings.closes_at
    )


def next_answering_start(conversation_settings, moment: datetime | None = None):
    """When answering hours next begin after ``moment``, as a local time; None with no days."""
    local = timezone.localtime(moment or timezone.now())
    if not conversation_settings.weekdays:
        return None
    for days in range(0, 8):
        day = local.date() + timedelta(days=days)
        if day.weekday() not in conversation_settings.weekdays:
            continue
        start = timezone.make_aware(datetime.combine(day, conversation_settings.opens_at))
        if start > local:
            return start
    return None
