"""The staff's side of secure messages: a course's conversation (with live updates by htmx
polling), the list of conversations, hand-over and pause, and the answering hours."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, Max, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brobyg.audit.services import log_list_read, log_read
from brobyg.conversations import selectors, services
from brobyg.conversations.attachments import file_response
from brobyg.conversations.forms import AnsweringHoursForm, GroupMessageForm, MessageForm
from brobyg.conversations.models import Conversation, Message
from brobyg.groups.models import GroupStatus
from brobyg.groups.selectors import groups_with_names_visible_to
from brobyg.lib.forms import run_form_action
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required
from brobyg.support.selectors import courses_visible_to

POLL_SECONDS = 5


def _course(request, public_id):
    return get_for_org_or_404(
        request,
        courses_visible_to(request.membership).select_related("citizen", "programme"),
        public_id=public_id,
    )


def _conversation(request, public_id):
    return get_for_org_or_404(
        request, selectors.conversations_visible_to(request.membership), course__public_id=public_id
    )


def _group(request, public_id):
    """A group whose members the member sees by name (its facilitators, the coordinators)."""
    return get_for_org_or_404(
        request,
        groups_with_names_visible_to(request.membership).select_related("co_facilitator"),
        public_id=public_id,
    )


def _log_group_read(request, conversation, group, shown) -> None:
    """One entry per member whose own messages the page showed (one without a subject when
    none), so each member's access request finds it."""
    members = {m.participant_id: m.participant for m in shown if m.participant_id}
    log_list_read(
        request=request,
        subjects=[member.audit_subject for member in members.values()],
        object_type="conversations.conversation",
        reason=gettext_noop("group conversation"),
        details={"group": str(group.public_id), "messages": len(shown)},
    )


def _shown_messages(request, found) -> tuple[list, bool]:
    """The latest messages and whether there are earlier ones; every message with ``?all=1``."""
    if found is None:
        return [], False
    if request.GET.get("all") == "1":
        return selectors.all_messages(found), False
    return selectors.latest_messages(found)


def new_messages_response(request, new, *, staff: bool):
    """What polling swaps in: the messages after the last one the page has."""
    return render(
        request,
        "conversations/_new_messages.html",
        {
            "messages_shown": new,
            "last_id": new[-1].pk,
            "poll_url": request.path,
            "poll_seconds": POLL_SECONDS,
            "staff": staff,
        },
    )


def last_seen_id(request) -> int:
    """The last message id a polling page has (``?after=``), 0 when absent or not a number."""
    try:
        return max(0, int(request.GET.get("after", "0")))
    except ValueError:
        return 0


@org_permission_required("message_citizens")
@require_http_methods(["GET", "POST"])
def conversation(request, public_id):
    course = _course(request, public_id)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":

        def call(data):
            services.message_write(
                actor=request.user,
                course=course,
                text=data["text"],
                upload=data.get("attachment"),
                request=request,
            )

        if run_form_action(form, call):
            return redirect(request.path + "#composer")
    found = Conversation.objects.filter(course=course).first()
    shown, earlier = _shown_messages(request, found)
    log_read(
        request=request,
        target=found or course,
        subject=course.citizen,
        reason=gettext_noop("conversation"),
    )
    peers = list(course.peers.select_related("user"))
    is_course_peer = any(peer.user_id == request.user.pk for peer in peers)
    conversation_settings = selectors.settings_of(request.org)
    return render(
        request,
        "conversations/conversation.html",
        {
            "course": course,
            "citizen": course.citizen,
            "conversation": found,
            "messages_shown": shown,
            "earlier": earlier,
            "last_id": shown[-1].pk if shown else 0,
            "form": form,
            "may_write": course.is_live
            and (found is None or found.peer_answers or not is_course_peer),
            "is_course_peer": is_course_peer,
            "poll_seconds": POLL_SECONDS,
            "answering_now": selectors.is_answering(conversation_settings),
        },
    )


@org_permission_required("message_citizens")
@require_GET
def conversation_new(request, public_id):
    """What polling fetches: the messages after ``after``, or 204 (nothing to swap)."""
    found = _conversation(request, public_id)
    new = selectors.messages_after(found, last_seen_id(request))
    if not new:
        return HttpResponse(status=204)
    log_read(
        request=request,
        target=found,
        subject=found.citizen,
        reason=gettext_noop("conversation"),
    )
    return new_messages_response(request, new, staff=True)


@org_permission_required("message_groups")
@require_http_methods(["GET", "POST"])
def group_conversation(request, public_id):
    """A group course's conversation: its facilitators (and the coordinators) write to every
    member or to one; each member's answers are read here, never by the other members."""
    group = _group(request, public_id)
    members = selectors.group_members(group)
    form = GroupMessageForm(request.POST or None, request.FILES or None, members=members)
    if request.method == "POST":

        def call(data):
            services.group_message_write(
                actor=request.user,
                group=group,
                text=data["text"],
                upload=data.get("attachment"),
                to=data.get("to"),
                request=request,
            )

        if run_form_action(form, call):
            return redirect(request.path + "#composer")
    found = Conversation.objects.filter(group=group).first()
    shown, earlier = _shown_messages(request, found)
    _log_group_read(request, found, group, shown)
    is_facilitator = group.facilitators.filter(user=request.user).exists()
    live = group.status in (GroupStatus.PLANNED, GroupStatus.RUNNING)
    return render(
        request,
        "conversations/group_conversation.html",
        {
            "group": group,
            "conversation": found,
            "members": members,
            "messages_shown": shown,
            "earlier": earlier,
            "last_id": shown[-1].pk if shown else 0,
            "form": form,
            "live": live,
            "may_write": live and (found is None or found.peer_answers or not is_facilitator),
            "poll_seconds": POLL_SECONDS,
            "answering_now": selectors.is_answering(selectors.settings_of(request.org)),
        },
    )


@org_permission_required("message_groups")
@require_GET
def group_conversation_new(request, public_id):
    """What the group page's polling fetches: the messages after ``after``, or 204."""
    group = _group(request, public_id)
    found = Conversation.objects.filter(group=group).first()
    new = selectors.messages_after(found, last_seen_id(request)) if found else []
    if not new:
        return HttpResponse(status=204)
    _log_group_read(request, found, group, new)
    return new_messages_response(request, new, staff=True)


def _state_action(request, public_id, action, done: str):
    found = _conversation(request, public_id)
    try:
        action(actor=request.user, conversation=found, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("conversations_conversation", public_id=public_id)


@org_permission_required("message_citizens")
@require_POST
def conversation_hand_over(request, public_id):
    return _state_action(
        request,
        public_id,
        services.conversation_hand_to_coordinator,
        _("The conversation is handed to the coordinators. They are told now."),
    )


@org_permission_required("message_citizens")
@require_POST
def conversation_pause(request, public_id):
    return _state_action(
        request,
        public_id,
        services.conversation_pause,
        _("The conversation is paused; the coordinators answer until you take it back."),
    )


@org_permission_required("message_citizens")
@require_POST
def conversation_resume(request, public_id):
    return _state_action(
        request,
        public_id,
        services.conversation_resume,
        _("The conversation is with the peer again."),
    )


@org_permission_required("message_citizens")
@require_GET
def attachment(request, public_id):
    """A message's attachment, for those who see its conversation."""
    message = get_for_org_or_404(
        request,
        Message.objects.filter(
            conversation__in=selectors.conversations_visible_to(request.membership)
        ).select_related("conversation__citizen", "participant__citizen"),
        attachment_key=public_id,
    )
    log_read(
        request=request,
        target=message.conversation,
        subject=message.participant.audit_subject
        if message.participant_id
        else message.conversation.citizen,
        reason=gettext_noop("message attachment"),
    )
    return file_response(message)


@org_permission_required("message_citizens")
@require_GET
def conversation_list(request):
    last = Message.objects.filter(conversation=OuterRef("pk"))
    rows = list(
        selectors.conversations_visible_to(request.membership)
        .annotate(
            last_at=Max("messages__created_at"),
            has_crisis=Exists(last.filter(crisis=True)),
        )
        .order_by("-last_at", "-pk")[:200]
    )
    log_list_read(
        request=request,
        subjects=[row.citizen for row in rows if row.citizen_id],
        object_type="conversations.conversation",
        reason=gettext_noop("list of conversations"),
        details={"results": len(rows)},
    )
    return render(request, "conversations/conversation_list.html", {"rows": rows})


@org_permission_required("manage_answering_hours")
@require_http_methods(["GET", "POST"])
def answering_hours(request):
    current = selectors.settings_of(request.org)
    form = AnsweringHoursForm(
        request.POST or None,
        initial={
            "weekdays": current.weekdays,
            "opens_at": current.opens_at,
            "closes_at": current.closes_at,
            "extra_crisis_words": current.extra_crisis_words,
        },
    )
    if request.method == "POST":

        def call(data):
            services.settings_save(
                actor=request.user, organisation=request.org, data=data, request=request
            )

        if run_form_action(form, call):
            messages.success(request, _("The answering hours are saved."))
            return redirect("conversations_answering_hours")
    return render(request, "conversations/answering_hours.html", {"form": form})
