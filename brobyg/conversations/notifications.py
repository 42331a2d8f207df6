"""Telling people that there is a new message. Every e-mail and text says only that there is a
message and where to read it (behind the log-in, or the citizen's personal link): never its
words, the programme's name or a peer's name."""

import logging

from django.conf import settings
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.conversations.models import Conversation, Message
from brobyg.intake.selectors import coordinator_emails
from brobyg.lib.mail import send_templated_mail
from brobyg.sms.models import TextKind

logger = logging.getLogger(__name__)


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def staff_link(conversation) -> str:
    if conversation.group_id is not None:
        return _site(
            reverse("conversations_group_conversation", args=[conversation.group.public_id])
        )
    return _site(reverse("conversations_conversation", args=[conversation.course.public_id]))


def citizen_link(token: str) -> str:
    return _site(reverse("conversations_citizen", args=[token]))


def _tell(conversation, *, email: str, phone: str, citizen, participant=None) -> bool:
    """A fresh personal link, the way the citizen is reached (``sms.selectors.channels``:
    e-mail, text or both); someone without a citizen record (a group's relative) by e-mail, or
    by text with a phone number and no address."""
    from brobyg.conversations import services
    from brobyg.sms import selectors as sms_selectors
    from brobyg.sms import services as sms

    if citizen is not None:
        chosen = sms_selectors.channels(citizen)
    elif email:
        chosen = {sms_selectors.EMAIL}
    else:
        chosen = (
            {sms_selectors.TEXT}
            if sms_selectors.may_text_number(email=email, phone=phone)
            else set()
        )
    if not chosen:
        return False
    token = services.link_create(conversation=conversation, participant=participant)
    context = {"organisation": conversation.organisation, "link": citizen_link(token)}
    told = False
    if sms_selectors.EMAIL in chosen:
        told = send_templated_mail(
            "conversations/email/new_message",
            context,
            [email],
            what="Message notice",
            about=conversation,
        )
    if sms_selectors.TEXT in chosen:
        text = sms.render_text("conversations/sms_new_message", context, language="da")
        sent = sms.send_text(
            organisation=conversation.organisation,
            phone=phone,
            text=text,
            kind=TextKind.MESSAGE,
            citizen=citizen,
        )
        told = told or sent is not None
    return told


def tell_citizen(*, conversation_id: int, participant_id: int | None = None) -> int:
    """E-mail the citizen (or text them, with a phone number and no address) a fresh personal
    link to the conversation. In a group's conversation: every enrolled member, each with their
    own link in their own e-mail or text (or only ``participant_id``). Returns how many were
    told."""
    from brobyg.groups.models import Participant, ParticipantStatus

    with scopes_disabled():
        conversation = Conversation.objects.select_related(
            "citizen", "organisation", "course", "group"
        ).get(pk=conversation_id)
        if conversation.group_id is None:
            citizen = conversation.citizen
            return int(
                _tell(conversation, email=citizen.email, phone=citizen.phone, citizen=citizen)
            )
        members = Participant.objects.filter(
            group_id=conversation.group_id, status=ParticipantStatus.ENROLLED
        ).select_related("citizen")
        if participant_id is not None:
            members = members.filter(pk=participant_id)
        told = 0
        for member in members.order_by("pk"):
            told += _tell(
                conversation,
                email=member.email,
                phone=member.phone,
                citizen=member.citizen,
                participant=member,
            )
        return told


def tell_staff(*, message_id: int) -> bool:
    """Tell whoever answers now (the course's peers or the group's facilitators, or the
    coordinators once the conversation is handed over or paused) that the citizen wrote."""
    with scopes_disabled():
        message = Message.objects.select_related(
            "conversation__course", "conversation__group__co_facilitator"
        ).get(pk=message_id)
        conversation = message.conversation
        if conversation.peer_answers and conversation.group_id is not None:
            group = conversation.group
            recipients = [
                peer.user.email
                for peer in group.facilitators.select_related("user")
                if peer.user_id and peer.user.is_active
            ]
            if group.co_facilitator_id and group.co_facilitator.is_active:
                recipients.append(group.co_facilitator.email)
        elif conversation.peer_answers:
            recipients = [
                peer.user.email
                for peer in conversation.course.peers.select_related("user")
                if peer.user_id and peer.user.is_active
            ]
        else:
            recipients = coordinator_emails(conversation.organisation)
    return send_templated_mail(
        "conversations/email/staff_new_message",
        {"link": staff_link(conversation)},
        recipients,
        what="Message notice",
        about=conversation,
    )


def tell_coordinators_of_handover(*, conversation_id: int) -> bool:
    with scopes_disabled():
        conversation = Conversation.objects.select_related("course").get(pk=conversation_id)
        recipients = coordinator_emails(conversation.organisation)
    return send_templated_mail(
        "conversations/email/handed_over",
        {"link": staff_link(conversation), "conversation": conversation},
        recipients,
        what="Hand-over notice",
        about=conversation,
    )


def tell_coordinators_of_break(*, organisation_id: int, count: int) -> bool:
    """A peer's break paused ``count`` conversations: the coordinators answer them now."""
    from brobyg.orgs.models import Organisation

    with scopes_disabled():
        organisation = Organisation.objects.get(pk=organisation_id)
        recipients = coordinator_emails(organisation)
    return send_templated_mail(
        "conversations/email/paused_for_break",
        {"link": _site(reverse("conversations_list")), "count": count},
        recipients,
        what="Break notice",
    )
