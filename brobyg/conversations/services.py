"""Every change to secure messages: opening a course's or a group's conversation, writing (staff,
citizen, group member), crisis alerts, handing to the coordinator, pausing, answering hours,
links, merging.

The message text is never logged: the audit entry names the message, its conversation and
whether it held crisis signals."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on, save_and_log
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
    """Whether ``user`` answers as the conversation's peer: a peer of its course, or a peer
    facilitator of its group."""
    if conversation.group_id is not None:
        return conversation.group.facilitators.filter(user=user).exists()
    return conversation.course.peers.filter(user=user).exists()


def _is_member(group, participant) -> bool:
    from brobyg.groups.models import ParticipantStatus

    return (
        participant is not None
        and participant.group_id == group.pk
        and participant.status == ParticipantStatus.ENROLLED
    )


def _subject(conversation, participant=None):
    """Whom an audit entry is about: the course's citizen, or the group member concerned (none
    for a message to the whole group)."""
    if participant is not None:
        return participant.audit_subject
    return conversation.citizen


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
def conversation_for_group(*, actor, group, request=None) -> Conversation:
    """The group course's conversation, opened the first time it is needed."""
    from brobyg.groups.models import GroupStatus

    conversation = Conversation.objects.filter(group=group).first()
    if conversation is not None:
        return conversation
    if group.status not in (GroupStatus.PLANNED, GroupStatus.RUNNING):
        raise ValidationError(_("A finished group has no conversation."))
    conversation = Conversation.objects.create(organisation=group.organisation, group=group)
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=group.organisation,
        target=conversation,
        details={"group": str(group.public_id)},
        request=request,
    )
    return conversation


def _staff_writes(actor, conversation, text, upload, participant, request) -> Message:
    text = _check_text(text)
    attached = read_upload(upload) if upload is not None else None
    if not conversation.peer_answers and _is_course_peer(conversation, actor):
        raise ValidationError(
            _("The conversation is with the coordinator now. Take it back to write again.")
        )
    message = Message.objects.create(
        organisation=conversation.organisation,
        conversation=conversation,
        author=actor,
        participant=participant,
        text=text,
    )
    if attached:
        attach(message, *attached)
    log_action_on(
        conversation,
        action=Action.CREATE,
        actor=actor,
        subject=_subject(conversation, participant),
        details={"message": message.pk, "attachment": bool(attached)},
        request=request,
    )
    from brobyg.conversations import notifications

    transaction.on_commit(
        lambda: notifications.tell_citizen(
            conversation_id=conversation.pk,
            participant_id=participant.pk if participant is not None else None,
        ),
        robust=True,
    )
    return message


@transaction.atomic
def message_write(*, actor, course, text: str, upload=None, request=None) -> Message:
    """A member of staff writes to the citizen on ``course`` (its conversation is opened the
    first time). The peer writes while the conversation is theirs; once it is handed to the
    coordinator or paused, the coordinator answers."""
    _check_text(text)
    if not course.is_live:
        raise ValidationError(_("The course has ended; no more messages can be written."))
    conversation = conversation_for_course(actor=actor, course=course, request=request)
    return _staff_writes(actor, conversation, text, upload, None, request)


@transaction.atomic
def group_message_write(*, actor, group, text: str, upload=None, to=None, request=None) -> Message:
    """A facilitator (or a coordinator) writes in the group course's conversation: to every
    enrolled member, or with ``to`` (a participant) to that one member only. Each member is told
    by e-mail or text that a message waits, with their own link; no member learns who else is in
    the group."""
    _check_text(text)
    conversation = conversation_for_group(actor=actor, group=group, request=request)
    if not conversation.is_live:
        raise ValidationError(_("The group has ended; no more messages can be written."))
    if to is not None and not _is_member(group, to):
        raise ValidationError({"to": _("Choose one of the group's enrolled members.")})
    return _staff_writes(actor, conversation, text, upload, to, request)


@transaction.atomic
def citizen_writes(
    *, conversation, text: str, upload=None, participant=None, request=None
) -> Message:
    """The citizen answers through their link (in a group's conversation, ``participant`` is the
    member writing; only the facilitators and coordinators read it, never the other members). A
    message with crisis signals is marked, and the coordinators are alerted at once (as for a
    crisis answer in a request for support)."""
    text = _check_text(text)
    attached = read_upload(upload) if upload is not None else None
    if conversation.group_id is not None and not _is_member(conversation.group, participant):
        raise ValidationError(_("Only the group's members can write here."))
    if not conversation.is_live and conversation.group_id is not None:
        raise ValidationError(_("The group has ended; no more messages can be written."))
    if not conversation.is_live:
        raise ValidationError(_("The course has ended; no more messages can be written."))
    conversation_settings = selectors.settings_of(conversation.organisation)
    crisis = has_crisis_signals(text, conversation_settings.extra_crisis_words)
    message = Message.objects.create(
        organisation=conversation.organisation,
        conversation=conversation,
        from_citizen=True,
        participant=participant if conversation.group_id is not None else None,
        text=text,
        crisis=crisis,
    )
    if attached:
        attach(message, *attached)
    log_action(
        action=Action.CREATE,
        organisation=conversation.organisation,
        target=conversation,
        subject=_subject(conversation, message.participant),
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
    log_action_on(
        conversation,
        action=Action.UPDATE,
        actor=actor,
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


def _everyone_on_break(peers) -> bool:
    from brobyg.people.models import PeerStatus

    statuses = [peer.status for peer in peers]
    return bool(statuses) and all(status == PeerStatus.PAUSED for status in statuses)


@transaction.atomic
def follow_peer_break(*, actor, peer, on_break: bool, request=None) -> dict:
    """Peer care's break step (run in the break's own transaction). When a peer's break starts,
    the live conversations they answer pause, the coordinators answering (a course's or a
    group's only when every peer on it is on a break); the citizen's page says so kindly. When
    it ends, the paused ones go back to the peers. Handed-over conversations stay with the
    coordinators."""
    from brobyg.groups.models import GroupStatus
    from brobyg.support.models import LIVE_COURSE_STATUSES

    organisation = peer.organisation
    conversations = (
        Conversation.objects.filter(organisation=organisation)
        .filter(
            Q(course__peers=peer, course__status__in=LIVE_COURSE_STATUSES)
            | Q(
                group__facilitators=peer,
                group__status__in=(GroupStatus.PLANNED, GroupStatus.RUNNING),
            )
        )
        .select_related("course", "group", "citizen")
        .distinct()
        .order_by("pk")
    )
    changed = []
    for conversation in conversations:
        owner = conversation.group if conversation.group_id else conversation.course
        peers = list(owner.facilitators.all() if conversation.group_id else owner.peers.all())
        if on_break and conversation.state == ConversationState.ACTIVE:
            if _everyone_on_break(peers):
                _change_state(actor, conversation, ConversationState.PAUSED, request)
                changed.append(conversation.pk)
        elif not on_break and conversation.state == ConversationState.PAUSED:
            _change_state(actor, conversation, ConversationState.ACTIVE, request)
            changed.append(conversation.pk)
    if on_break and changed:
        from brobyg.conversations import notifications

        transaction.on_commit(
            lambda: notifications.tell_coordinators_of_break(
                organisation_id=organisation.pk, count=len(changed)
            ),
            robust=True,
        )
    return {"paused" if on_break else "resumed": len(changed)}


@transaction.atomic
def link_create(*, conversation, participant=None) -> str:
    """A new personal link for the citizen, or for a group's member (returned once; only its
    digest is stored)."""
    if (conversation.group_id is not None) != (participant is not None):
        raise ValueError("A group's conversation is opened by a member's own link.")
    token = new_link_token()
    ConversationLink.objects.create(
        organisation=conversation.organisation,
        conversation=conversation,
        participant=participant,
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
    return save_and_log(
        conversation_settings,
        action=Action.UPDATE,
        actor=actor,
        details={"weekdays": weekdays},
        request=request,
    )


def purge_expired(*, today=None) -> dict:
    """Periodic: delete the conversations of courses that ended, and of groups that finished or
    were cancelled, more than ``BROBYG_MESSAGE_RETENTION_DAYS`` ago (with their messages and
    links), and every expired link. Counts only; nothing about the content is logged."""
    from django.conf import settings
    from django.db.models import Q

    from brobyg.groups.models import GroupStatus
    from brobyg.lib.days import start_of_day

    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.BROBYG_MESSAGE_RETENTION_DAYS)
    old = Conversation.objects.filter(
        Q(course__ended_on__lt=cutoff)
        | Q(
            group__status__in=(GroupStatus.FINISHED, GroupStatus.CANCELLED),
            group__status_changed_at__lt=start_of_day(cutoff),
        )
    )
    messages = Message.objects.filter(conversation__in=old).count()
    conversations = old.count()
    old.delete()
    links, _counts = ConversationLink.objects.filter(expires_at__lte=timezone.now()).delete()
    return {"conversations": conversations, "messages": messages, "links": links}


def move_for_merge(*, actor, keep, duplicate) -> dict:
    """People's merge step: the duplicate's conversations follow the person (their courses are
    moved by support's step)."""
    return {"conversations": Conversation.objects.filter(citizen=duplicate).update(citizen=keep)}
