"""The citizen's messages on a new device, without their link: the rights app's one-time code
(``rights.codes``) sent to the e-mail address or mobile number the organisation has, then, for
30 minutes in this browser's session, a list of the citizen's conversations (their live courses'
and the live groups they are enrolled in) and each one's page."""

from datetime import timedelta

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scopes_disabled

from brobyg.conversations.models import Conversation
from brobyg.conversations.views_citizen import conversation_page, new_messages
from brobyg.groups.models import GroupStatus, Participant, ParticipantStatus
from brobyg.lib.views import personal_link_response
from brobyg.rights import codes
from brobyg.support.models import LIVE_COURSE_STATUSES

SESSION_KEY = "conversations_opened"
PENDING_KEY = "conversations_pending"
OPEN_MINUTES = 30


def _opened_conversations(request):
    opened = request.session.get(SESSION_KEY)
    if not opened:
        return Conversation.objects.none()
    until = parse_datetime(opened.get("until", ""))
    if until is None or until <= timezone.now():
        request.session.pop(SESSION_KEY, None)
        return Conversation.objects.none()
    members = Participant.objects.filter(
        citizen__public_id__in=opened["citizens"],
        citizen__merged_into__isnull=True,
        status=ParticipantStatus.ENROLLED,
        group__status__in=(GroupStatus.PLANNED, GroupStatus.RUNNING),
    )
    return (
        Conversation.objects.filter(
            Q(
                citizen__public_id__in=opened["citizens"],
                citizen__merged_into__isnull=True,
                course__status__in=LIVE_COURSE_STATUSES,
            )
            | Q(group__in=members.values("group"))
        )
        .select_related("organisation", "course", "citizen", "group")
        .distinct()
    )


def _member(request, found):
    """In a group's conversation, the opened citizen's own enrolment in that group."""
    if found.group_id is None:
        return None
    opened = request.session.get(SESSION_KEY) or {}
    return (
        Participant.objects.filter(
            group_id=found.group_id,
            citizen__public_id__in=opened.get("citizens", []),
            status=ParticipantStatus.ENROLLED,
        )
        .select_related("citizen")
        .order_by("pk")
        .first()
    )


START_TEMPLATE = "conversations/device_start.html"


def _open_for(request, citizens) -> None:
    request.session[SESSION_KEY] = {
        "citizens": [str(citizen.public_id) for citizen in citizens],
        "until": (timezone.now() + timedelta(minutes=OPEN_MINUTES)).isoformat(),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def device_start(request):
    """Ask for a code, enter it; once opened, the list of the citizen's conversations."""
    with scopes_disabled():
        opened = list(_opened_conversations(request).order_by("pk"))
    if opened or request.session.get(SESSION_KEY):
        return personal_link_response(
            render(request, "conversations/device_list.html", {"conversations": opened})
        )
    return codes.code_steps(
        request,
        template=START_TEMPLATE,
        pending_key=PENDING_KEY,
        on_open=lambda citizens: _open_for(request, citizens),
    )


def _opened(request, public_id):
    with scopes_disabled():
        found = _opened_conversations(request).filter(public_id=public_id).first()
        participant = _member(request, found) if found is not None else None
    if found is None or (found.group_id is not None and participant is None):
        raise Http404
    return found, participant


@never_cache
@require_http_methods(["GET", "POST"])
def device_conversation(request, public_id):
    found, participant = _opened(request, public_id)
    return conversation_page(
        request,
        found,
        participant=participant,
        poll_url=request.path + "new/",
    )


@never_cache
@require_GET
def device_new(request, public_id):
    found, participant = _opened(request, public_id)
    return new_messages(request, found, participant)
