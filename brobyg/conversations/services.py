"""Every change to secure messages: opening a course's conversation, writing (staff and
citizen), crisis alerts, handing to the coordinator, pausing, answering hours, links, merging.

The message text is never logged: the audit entry names the message, its conversation and
whether it held crisis signals."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.conversations import selectors
from brobyg.conversations.attachments import attach, read_upload
from brobyg.conversations.crisis import has_crisis_signals
from brobyg.conversations.models import (
    MAX_MESSAGE_LENGTH,
    Conversation,
    ConversationLink,
    ConversationSettings,
    ConversationState,
    Message,
)
from brobyg.lib.links import new_link_token, token_digest

LINK_DAYS = 30


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message.")})
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {"text": _("A message can be at most %(n)s characters.") % {"n": MAX_MESSAGE_LENGTH}}
        )
    return text


def _is_course_peer(conversation, user) -> bool:
    return conversation.course.peers.filter(user=user).exists()


@transaction.atomic
def conversation_for_course(*, actor, course, request=None) -> Conversation:
    """The course's conversation, opened the first time it is needed."""
    conversation = Conversation.objects.filter(course=course).first()
    if conversation is not None:
        return conversation
    if not course.is_live:
        raise ValidationError(_("An ended course has no conversation."))
    conversation = Conversation.objects.create(
        organisation=course.organisation, course=course, citizen=course.citizen
    )
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=course.organisation,
        target=conversation,
        subject=course.citizen,
        request=request,
    )
    return conversation


@transaction.atomic
def message_write(*, actor, course, text: str, upload=None, request=None) -> Message:
    """A member of staff writes to the citizen on ``course`` (its conversation is opened the
    first time). The peer writes while the conversation is theirs; once it is handed to the
    coordinator or paused, the coordinator answers."""
    text = _check_text(text)
    attached = read_upload(upload) if upload is not None else None
    if not course.is_live:
        raise ValidationError(_("The course has ended; no more messages can be written."))
    conversation = conversation_for_course(actor=actor, course=course, request=request)
    if not conversation.peer_answers and _is_course_peer(conversation, actor):
        raise ValidationError(
            _("The conversation is with the coordinator now. Take it back to write again.")
        )
    message = Message.objects.create(
        organisation=conversation.organisation,
        conversation=conversation,
        author=actor,
        text=text,
    )
    if attached:
        attach(message, *attached)
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=conversation.organisation,
        target=conversation,
        subject=conversation.citizen,
        details={"message": message.pk, "attachment": bool(attached)},
        request=request,
    )
    from brobyg.conversations import notifications

    transaction.on_commit(
        lambda: notifications.tell_citizen(conversation_id=conversation.pk), robust=True
    )
    return message


@transaction.atomic
def citizen_writes(*, conversation, text: str, upload=None, request=None) -> Message:
    """The citizen answers through their link. A message with crisis signals is marked, and the
    coordinators are alerted at once (as for a crisis answer in a request for support)."""
    text = _check_text(text)
    attached = read_upload(upload) if upload is not None else None
    if not conversation.course.is_live:
        raise ValidationError(_("The course has ended; no more messages can be written."))
    conversation_settings = selectors.settings_of(conversation.organisation)
    crisis = has_crisis_signals(text, conversation_settings.extra_crisis_words)
    message = Message.objects.create(
        organisation=conversation.organisation,
        conversation=conversation,
        from_citizen=True,
        text=text,
        crisis=crisis,
    )
    if attached:
        attach(message, *attached)
    log_action(
        action=Action.CREATE,
        organisation=conversation.organisation,
        target=conversation,
        subject=conversation.citizen,
        details={
            "message": message.pk,
            "crisis": crisis,
            "by": "citizen",
            "attachment": bool(attached),
        },
        request=request,
    )
    from brobyg.conversations import notifications, tasks

    if crisis:
        transaction.on_commit(
            lambda: tasks.alert_coordinators.enqueue(message_id=message.pk), robust=True
        )
    transaction.on_commit(lambda: notifications.tell_staff(message_id=message.pk), robust=True)
    return message


def _change_state(actor, conversation, state, request) -> Conversation:
    before = conversation.state
    conversation.state = state
    conversation.state_changed_at = timezone.now()
    conversation.save(update_fields=["state", "state_changed_at"])
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=conversation.organisation,
        target=conversation,
        subject=conversation.citizen,
        details={"state": [before, state]},
        request=request,
    )
    return conversation


@transaction.atomic
def conversation_hand_to_coordinator(*, actor, conversation, request=None) -> Conversation:
    """The peer hands the conversation to the coordinator, who is told and answers from now."""
    if conversation.state != ConversationState.ACTIVE:
        raise ValidationError(_("The conversation is already with the coordinator."))
    _change_state(actor, conversation, ConversationState.WITH_COORDINATOR, request)
    from brobyg.conversations import notifications

    transaction.on_commit(
        lambda: notifications.tell_coordinators_of_handover(conversation_id=conversation.pk),
        robust=True,
    )
    return conversation


@transaction.atomic
def conversation_pause(*, actor, conversation, request=None) -> Conversation:
    """The peer takes a break: the coordinator is told and answers until it is taken back."""
    if conversation.state != ConversationState.ACTIVE:
        raise ValidationError(_("The conversation is already with the coordinator."))
    _change_state(actor, conversation, ConversationState.PAUSED, request)
    from brobyg.conversations import notifications

    transaction.on_commit(
        lambda: notifications.tell_coordinators_of_handover(conversation_id=conversation.pk),
        robust=True,
    )
    return conversation


@transaction.atomic
def conversation_resume(*, actor, conversation, request=None) -> Conversation:
    """The conversation goes back to the peer."""
    if conversation.state == ConversationState.ACTIVE:
        raise ValidationError(_("The conversation is already with the peer."))
    return _change_state(actor, conversation, ConversationState.ACTIVE, request)


@transaction.atomic
def link_create(*, conversation) -> str:
    """A new personal link for the citizen (returned once; only its digest is stored)."""
    token = new_link_token()
    ConversationLink.objects.create(
        organisation=conversation.organisation,
        conversation=conversation,
        token_digest=token_digest(token),
        expires_at=timezone.now() + timedelta(days=LINK_DAYS),
    )
    return token


@transaction.atomic
def settings_save(*, actor, organisation, data: dict, request=None) -> ConversationSettings:
    """Answering hours (days, from, until) and the organisation's extra crisis words."""
    weekdays = sorted({int(day) for day in data.get("weekdays", [])})
    if any(day not in range(7) for day in weekdays):
        raise ValidationError({"weekdays": _("Choose from the list.")})
    if data["opens_at"] >= data["closes_at"]:
        raise ValidationError({"closes_at": _("The end must be after the start.")})
    conversation_settings, _created = ConversationSettings.objects.get_or_create(
        organisation=organisation
    )
    conversation_settings.weekdays = weekdays
    conversation_settings.opens_at = data["opens_at"]
    conversation_settings.closes_at = data["closes_at"]
    conversation_settings.extra_crisis_words = "\n".join(
        line.strip() for line in data.get("extra_crisis_words", "").splitlines() if line.strip()
    )
    conversation_settings.full_clean()
    conversation_settings.save()
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=organisation,
        target=conversation_settings,
        details={"weekdays": weekdays},
        request=request,
    )
    return conversation_settings


def purge_expired(*, today=None) -> dict:
    """Periodic: delete the conversations of courses that ended more than
    ``BROBYG_MESSAGE_RETENTION_DAYS`` ago (with their messages and links), and every expired
    link. Counts only; nothing about the content is logged."""
    from django.conf import settings

    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.BROBYG_MESSAGE_RETENTION_DAYS)
    old = Conversation.objects.filter(course__ended_on__lt=cutoff)
    messages = Message.objects.filter(conversation__in=old).count()
    conversations = old.count()
    old.delete()
    links, _counts = ConversationLink.objects.filter(expires_at__lte=timezone.now()).delete()
    return {"conversations": conversations, "messages": messages, "links": links}


def move_for_merge(*, actor, keep, duplicate) -> dict:
    """People's merge step: the duplicate's conversations follow the person (their courses are
    moved by support's step)."""
    return {"conversations": Conversation.objects.filter(citizen=duplicate).update(citizen=keep)}
