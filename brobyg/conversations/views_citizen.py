"""The citizen's side of secure messages, opened by their personal link on a phone (no account).
The page polls for new messages; a message with crisis signals shows the emergency numbers at
once; outside the answering hours the page says when to expect an answer and where to turn now.
A group's member opens the group's conversation the same way, with their own link, and sees the
messages to the whole group and their own, never another member's."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scope, scopes_disabled

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.conversations import selectors, services
from brobyg.conversations.attachments import file_response
from brobyg.conversations.forms import MessageForm
from brobyg.conversations.models import Message
from brobyg.conversations.views import POLL_SECONDS, last_seen_id, new_messages_response
from brobyg.groups.models import ParticipantStatus
from brobyg.lib.forms import run_form_action
from brobyg.lib.views import personal_link_response


def _by_token(token):
    link = selectors.link_by_token(token)
    if link is None:
        raise Http404
    return link.conversation, link.participant


def _log_read(request, found, participant=None) -> None:
    log_action(
        action=Action.READ,
        organisation=found.organisation,
        target=found,
        subject=participant.audit_subject if participant is not None else found.citizen,
        reason=gettext_noop("citizen's own conversation"),
        request=request,
    )


SEEN_KEY = "conversations_seen"


def _seen_key(found, participant=None) -> str:
    if participant is not None:
        return f"{found.public_id}:{participant.public_id}"
    return str(found.public_id)


def _remember(request, found, participant=None) -> None:
    """This browser opened the conversation (by link or code; a group's as that member): its
    attachments may be fetched in the same session."""
    key = _seen_key(found, participant)
    seen = [item for item in request.session.get(SEEN_KEY, []) if item != key]
    request.session[SEEN_KEY] = [*seen[-19:], key]


@never_cache
@require_GET
def citizen_attachment(request, public_id):
    """An attachment of a conversation this browser has opened (in a group's conversation, of
    a message that member sees)."""
    seen = set(request.session.get(SEEN_KEY, []))
    conversation_ids = {item.split(":")[0] for item in seen}
    with scopes_disabled():
        message = (
            Message.objects.filter(
                attachment_key=public_id, conversation__public_id__in=conversation_ids
            )
            .select_related(
                "conversation__citizen", "conversation__organisation", "participant__citizen"
            )
            .first()
        )
    if message is None:
        raise Http404
    conversation_id = str(message.conversation.public_id)
    if message.conversation.group_id is None:
        allowed = conversation_id in seen
    elif message.participant_id is None:
        allowed = any(item.startswith(conversation_id + ":") for item in seen)
    else:
        allowed = f"{conversation_id}:{message.participant.public_id}" in seen
    if not allowed:
        raise Http404
    with scope(organisation=message.organisation_id):
        _log_read(request, message.conversation, message.participant)
        return personal_link_response(file_response(message))


def conversation_page(request, found, *, poll_url: str, participant=None):
    """The citizen's conversation page (opened by link or by one-time code); in a group's
    conversation, ``participant`` is the member reading."""
    _remember(request, found, participant)
    with scope(organisation=found.organisation_id):
        form = MessageForm(request.POST or None, request.FILES or None)
        if request.method == "POST":

            def call(data):
                services.citizen_writes(
                    conversation=found,
                    participant=participant,
                    text=data["text"],
                    upload=data.get("attachment"),
                    request=request,
                )

            if run_form_action(form, call):
                return personal_link_response(redirect(request.path + "#composer"))
        shown, earlier = selectors.latest_messages(found, participant=participant)
        conversation_settings = selectors.settings_of(found.organisation)
        answering = selectors.is_answering(conversation_settings)
        own = [message for message in shown if message.from_citizen]
        _log_read(request, found, participant)
        response = render(
            request,
            "conversations/citizen.html",
            {
                "conversation": found,
                "participant": participant,
                "organisation": found.organisation,
                "messages_shown": shown,
                "earlier": earlier,
                "last_id": shown[-1].pk if shown else 0,
                "poll_url": poll_url,
                "form": form,
                "may_write": found.is_live
                and (participant is None or participant.status == ParticipantStatus.ENROLLED),
                "crisis": bool(own) and own[-1].crisis,
                "answering": answering,
                "settings": conversation_settings,
                "next_answer": None
                if answering
                else selectors.next_answering_start(conversation_settings),
                "poll_seconds": POLL_SECONDS,
            },
        )
    return personal_link_response(response)


def new_messages(request, found, participant=None):
    """What the citizen's page polls: the messages after ``after``, or 204."""
    with scope(organisation=found.organisation_id):
        new = selectors.messages_after(found, last_seen_id(request), participant=participant)
        if not new:
            return personal_link_response(HttpResponse(status=204))
        _log_read(request, found, participant)
        response = new_messages_response(request, new, staff=False)
    return personal_link_response(response)


@never_cache
@require_http_methods(["GET", "POST"])
def citizen_conversation(request, token):
    found, participant = _by_token(token)
    return conversation_page(
        request,
        found,
        participant=participant,
        poll_url=reverse("conversations_citizen_new", args=[token]),
    )


@never_cache
@require_GET
def citizen_new(request, token):
    found, participant = _by_token(token)
    return new_messages(request, found, participant)
