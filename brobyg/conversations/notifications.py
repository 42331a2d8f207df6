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
    return _site(reverse("conversations_conversation", args=[conversation.course.public_id]))


def citizen_link(token: str) -> str:
    return _site(reverse("conversations_citizen", args=[token]))


def tell_citizen(*, conversation_id: int) -> bool:
    """E-mail the citizen (or text them, with a phone number and no address) a fresh personal
    link to the conversation."""
    from brobyg.conversations import services
    from brobyg.sms import selectors as sms_selectors
    from brobyg.sms import services as sms

    with scopes_disabled():
        conversation = Conversation.objects.select_related("citizen", "organisation", "course").get(
            pk=conversation_id
        )
        citizen = conversation.citizen
        if not citizen.email and not sms_selectors.may_text(citizen):
            return False
        token = services.link_create(conversation=conversation)
        context = {"organisation": conversation.organisation, "link": citizen_link(token)}
        if citizen.email:
            return send_templated_mail(
                "conversations/email/new_message",
                context,
                [citizen.email],
                what="Message notice",
                about=conversation,
            )
        text = sms.render_text("conversations/sms_new_message", context, language="da")
        return (
            sms.send_text(
                organisation=conversation.organisation,
                phone=citizen.phone,
                text=text,
                kind=TextKind.MESSAGE,
                citizen=citizen,
            )
            is not None
        )


def tell_staff(*, message_id: int) -> bool:
    """Tell whoever answers now (the course's peers, or the coordinators once the conversation is
    handed over or paused) that the citizen wrote."""
    with scopes_disabled():
        message = Message.objects.select_related("conversation__course").get(pk=message_id)
        conversation = message.conversation
        if conversation.peer_answers:
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
