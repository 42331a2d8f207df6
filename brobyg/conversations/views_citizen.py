"""The citizen's side of secure messages, opened by their personal link on a phone (no account).
The page polls for new messages; a message with crisis signals shows the emergency numbers at
once; outside the answering hours the page says when to expect an answer and where to turn now."""

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
from brobyg.conversations.views import POLL_SECONDS, _after
from brobyg.lib.forms import run_form_action
from brobyg.lib.views import personal_link_response


def _by_token(token):
    found = selectors.conversation_by_link_token(token)
    if found is None:
        raise Http404
    return found


def _log_read(request, found) -> None:
    log_action(
        action=Action.READ,
        organisation=found.organisation,
        target=found,
        subject=found.citizen,
        reason=gettext_noop("citizen's own conversation"),
        request=request,
    )


SEEN_KEY = "conversations_seen"


def _remember(request, found) -> None:
    """This browser opened the conversation (by link or code): its attachments may be fetched
    in the same session."""
    seen = [key for key in request.session.get(SEEN_KEY, []) if key != str(found.public_id)]
    request.session[SEEN_KEY] = [*seen[-19:], str(found.public_id)]


@never_cache
@require_GET
def citizen_attachment(request, public_id):
    """An attachment of a conversation this browser has opened."""
    seen = request.session.get(SEEN_KEY, [])
    with scopes_disabled():
        message = (
            Message.objects.filter(attachment_key=public_id, conversation__public_id__in=seen)
            .select_related("conversation__citizen", "conversation__organisation")
            .first()
        )
    if message is None:
        raise Http404
    with scope(organisation=message.organisation_id):
        _log_read(request, message.conversation)
        return personal_link_response(file_response(message))


def conversation_page(request, found, *, poll_url: str):
    """The citizen's conversation page (opened by link or by one-time code)."""
    _remember(request, found)
    with scope(organisation=found.organisation_id):
        form = MessageForm(request.POST or None, request.FILES or None)
        if request.method == "POST":

            def call(data):
                services.citizen_writes(
                    conversation=found,
                    text=data["text"],
                    upload=data.get("attachment"),
                    request=request,
                )

            if run_form_action(form, call):
                return personal_link_response(redirect(request.path + "#composer"))
        shown, earlier = selectors.latest_messages(found)
        conversation_settings = selectors.settings_of(found.organisation)
        answering = selectors.is_answering(conversation_settings)
        own = [message for message in shown if message.from_citizen]
        _log_read(request, found)
        response = render(
            request,
            "conversations/citizen.html",
            {
                "conversation": found,
                "organisation": found.organisation,
                "messages_shown": shown,
                "earlier": earlier,
                "last_id": shown[-1].pk if shown else 0,
                "poll_url": poll_url,
                "form": form,
                "may_write": found.course.is_live,
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


def new_messages(request, found):
    """What the citizen's page polls: the messages after ``after``, or 204."""
    with scope(organisation=found.organisation_id):
        new = selectors.messages_after(found, _after(request))
        if not new:
            return personal_link_response(HttpResponse(status=204))
        _log_read(request, found)
        response = render(
            request,
            "conversations/_new_messages.html",
            {
                "messages_shown": new,
                "last_id": new[-1].pk,
                "poll_url": request.path,
                "poll_seconds": POLL_SECONDS,
                "staff": False,
            },
        )
    return personal_link_response(response)


@never_cache
@require_http_methods(["GET", "POST"])
def citizen_conversation(request, token):
    found = _by_token(token)
    return conversation_page(
        request, found, poll_url=reverse("conversations_citizen_new", args=[token])
    )


@never_cache
@require_GET
def citizen_new(request, token):
    return new_messages(request, _by_token(token))
