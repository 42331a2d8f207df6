"""Reads for secure messages: who sees which conversation, the messages of a page and of a poll,
the citizen's link, and the organisation's answering hours."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.conversations.models import (
    ConversationLink,
    ConversationSettings,
    Message,
)
from brobyg.groups.selectors import groups_with_names_visible_to
from brobyg.lib.links import token_digest
from brobyg.support.selectors import courses_visible_to

MESSAGES_SHOWN = 100


def conversations_visible_to(membership):
    """The conversations of the courses the member sees (``courses_visible_to``: a coordinator
    every course, a peer their own) and of the groups whose members they see by name
    (``groups_with_names_visible_to``: a coordinator every group, a facilitator theirs)."""
    from brobyg.conversations.models import Conversation

    return Conversation.objects.filter(
        Q(course__in=courses_visible_to(membership))
        | Q(group__in=groups_with_names_visible_to(membership)),
        organisation=membership.organisation,
    ).select_related("course", "citizen", "group")


def _messages(conversation, participant=None):
    """The conversation's messages; for a group's member only those to the whole group and
    their own (never another member's)."""
    found = Message.objects.filter(
        organisation_id=conversation.organisation_id, conversation=conversation
    )
    if conversation.group_id is not None and participant is not None:
        found = found.filter(Q(participant__isnull=True) | Q(participant=participant))
    return found.select_related("author", "participant__citizen")


def latest_messages(
    conversation, *, participant=None, limit: int = MESSAGES_SHOWN
) -> tuple[list[Message], bool]:
    """The latest ``limit`` messages, oldest first, and whether there are earlier ones."""
    newest_first = list(_messages(conversation, participant).order_by("-id")[: limit + 1])
    more = len(newest_first) > limit
    return list(reversed(newest_first[:limit])), more


def all_messages(conversation) -> list[Message]:
    return list(_messages(conversation).order_by("id"))


def messages_after(conversation, after_id: int, *, participant=None) -> list[Message]:
    """The messages newer than ``after_id``, oldest first (what a poll returns)."""
    return list(
        _messages(conversation, participant).filter(id__gt=after_id).order_by("id")[:MESSAGES_SHOWN]
    )


def link_by_token(token: str):
    """The live link a citizen (or a group's member) opens, with its conversation and member,
    or None if unknown or expired. Read across scopes: the citizen has no account, the token is
    the authorisation."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        link = (
            ConversationLink.objects.select_related(
                "conversation__course",
                "conversation__group",
                "conversation__citizen",
                "participant__citizen",
                "organisation",
            )
            .filter(token_digest=token_digest(token))
            .first()
        )
    if link is None or link.expires_at <= timezone.now():
        return None
    return link


def conversation_by_link_token(token: str):
    """The conversation a citizen's link opens, or None if unknown or expired."""
    link = link_by_token(token)
    return link.conversation if link is not None else None


def group_members(group) -> list:
    """The group's enrolled members, for choosing whom a message is to."""
    from brobyg.groups.models import Participant, ParticipantStatus

    return list(
        Participant.objects.filter(
            organisation_id=group.organisation_id, group=group, status=ParticipantStatus.ENROLLED
        )
        .select_related("citizen")
        .order_by("created_at", "pk")
    )


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
