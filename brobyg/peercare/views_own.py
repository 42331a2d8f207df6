"""A peer's own peer care: breaks, role, onboarding, supervision and notes, training,
check-ins (through registered sections), pathway and skills statement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_request
from brobyg.lib.forms import run_form_action
from brobyg.orgs.models import Programme
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required
from brobyg.peercare import extensions, selectors, services
from brobyg.peercare.forms import NoteForm, PathwayForm, PauseForm
from brobyg.peercare.models import PathwayEntry, SupervisionSession
from brobyg.people import selectors as people_selectors


def _log_own(request, peer, reason):
    log_request(request, action=Action.READ, target=peer, subject=request.user, reason=reason)


def _own_peer(request):
    return people_selectors.peer_of_user(request.org, request.user, with_programmes=True)


def _no_profile(request):
    return render(request, "peercare/own_missing.html")


@never_cache
@org_permission_required("use_own_peer_care")
def own(request):
    peer = selectors.own_care_peer(request.org, request.user)
    if peer is None:
        return _no_profile(request)
    row = selectors.own_care_row(request.org, peer)
    roles = [
        {
            "programme": programme,
            "care": row.cares.get(programme.pk),
            "confirmed": programme.pk in row.cares
            and (programme.pk, row.cares[programme.pk].version) in row.confirmed_versions,
        }
        for programme in row.programmes
    ]
    _log_own(request, peer, gettext_noop("own peer care"))
    return render(
        request,
        "peercare/own.html",
        {
            "peer": peer,
            "row": row,
            "roles": roles,
            "sessions": list(selectors.sessions_of_peer(peer)[:20]),
            "records": row.records,
            "can_resume": services.can_resume(peer),
            "waiting_proposals": peer.waiting_proposals,
            "sections": extensions.own_sections(request, peer),
        },
    )


@org_permission_required("use_own_peer_care")
def own_pause(request):
    peer = _own_peer(request)
    if peer is None:
        return _no_profile(request)
    form = PauseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.pause_take(
            actor=request.user, peer=peer, reason=data["reason"], request=request
        ),
    ):
        messages.success(
            request,
            _("You are on a break. You will not be proposed for new matches until you resume."),
        )
        return redirect("peercare_own")
    waiting = selectors.pending_proposals_of_peer(peer).count()
    return render(
        request, "peercare/own_pause.html", {"form": form, "peer": peer, "waiting": waiting}
    )


@org_permission_required("use_own_peer_care")
@require_POST
def own_resume(request):
    peer = _own_peer(request)
    if peer is None:
        return _no_profile(request)
    try:
        services.pause_resume(actor=request.user, peer=peer, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Welcome back. You can be proposed for matches again."))
    return redirect("peercare_own")


@org_permission_required("use_own_peer_care")
@require_POST
def own_confirm_role(request, public_id):
    programme = get_for_org_or_404(request, Programme.objects.all(), public_id=public_id)
    peer = _own_peer(request)
    if peer is None:
        return _no_profile(request)
    try:
        services.role_confirm(actor=request.user, peer=peer, programme=programme, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. You have confirmed the role description."))
    return redirect("peercare_own")


def _own_session(request, peer, public_id):
    """A session the peer attended; 404 for any other (and for a user without a profile)."""
    sessions = SupervisionSession.objects.select_related("supervisor")
    sessions = sessions.filter(attendees=peer) if peer else sessions.none()
    return get_for_org_or_404(request, sessions, public_id=public_id)


@never_cache
@org_permission_required("use_own_peer_care")
def own_session(request, public_id):
    peer = _own_peer(request)
    session = _own_session(request, peer, public_id)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.note_add(
            actor=request.user, session=session, peer=peer, text=data["text"], request=request
        ),
    ):
        messages.success(request, _("Note saved."))
        return redirect("peercare_own_session", public_id=session.public_id)
    _log_own(request, peer, gettext_noop("own supervision session and notes"))
    return render(
        request,
        "peercare/own_session.html",
        {
            "session": session,
            "notes": list(selectors.notes_for_peer(session, peer)),
            "form": form,
            "peer": peer,
        },
    )


@never_cache
@org_permission_required("use_own_peer_care")
def own_pathway(request):
    peer = _own_peer(request)
    if peer is None:
        return _no_profile(request)
    form = PathwayForm(request.POST or None, initial={"happened_on": timezone.localdate()})
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.pathway_add(
            actor=request.user, peer=peer, data=data, request=request
        ),
    ):
        messages.success(request, _("Added to your pathway."))
        return redirect("peercare_own_pathway")
    _log_own(request, peer, gettext_noop("own pathway"))
    return render(
        request,
        "peercare/own_pathway.html",
        {"form": form, "entries": list(selectors.pathway_of(peer)), "peer": peer},
    )


@org_permission_required("use_own_peer_care")
@require_POST
def own_pathway_delete(request, public_id):
    peer = _own_peer(request)
    entries = PathwayEntry.objects.filter(peer=peer) if peer else PathwayEntry.objects.none()
    entry = get_for_org_or_404(request, entries.select_related("peer"), public_id=public_id)
    services.pathway_delete(actor=request.user, entry=entry, request=request)
    messages.success(request, _("Removed from your pathway."))
    return redirect("peercare_own_pathway")


@never_cache
@org_permission_required("use_own_peer_care")
def own_statement(request):
    """The printable skills statement: the peer's to print and hand to whom they choose."""
    peer = _own_peer(request)
    if peer is None:
        return _no_profile(request)
    (row,) = selectors.peer_care_rows(request.org, [peer])
    _log_own(request, peer, gettext_noop("own skills statement"))
    return render(
        request,
        "peercare/own_statement.html",
        {
            "peer": peer,
            "row": row,
            "records": [r for r in row.current_records],
            "entries": list(selectors.pathway_of(peer).filter(on_statement=True)),
            "today": timezone.localdate(),
        },
    )
