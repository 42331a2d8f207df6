"""The supervisor's pages: their supervisees' coverage, the sessions they held, and notes.

A supervisor sees only the sessions they held themself; another supervisor's session is 404.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.services import log_list_read
from brobyg.lib.forms import run_form_action
from brobyg.orgs.permissions import get_for_org_or_404, org_permission_required
from brobyg.peercare import selectors, services
from brobyg.peercare.forms import NoteForm, SessionForm
from brobyg.peercare.models import SupervisionSession

SESSIONS_SHOWN = 50


@org_permission_required("record_supervision")
def supervision(request):
    rows = selectors.peer_care_rows(request.org, selectors.supervisees(request.org, request.user))
    sessions = selectors.with_attendee_names(
        list(selectors.sessions_of_supervisor(request.org, request.user)[:SESSIONS_SHOWN])
    )
    log_list_read(
        request=request,
        subjects=[row.peer.user for row in rows],
        object_type="people.peer",
        reason=gettext_noop("supervision: supervisees"),
        details={"results": len(rows)},
    )
    return render(request, "peercare/supervision.html", {"rows": rows, "sessions": sessions})


@org_permission_required("record_supervision")
def session_create(request):
    peers = selectors.peers_cared_for(request.org)
    form = SessionForm(request.POST or None, peers=peers)
    created = {}

    def record(data):
        created["session"] = services.session_record(
            actor=request.user,
            organisation=request.org,
            kind=data["kind"],
            held_on=data["held_on"],
            duration_minutes=data["duration_minutes"],
            attendees=data["attendees"],
            request=request,
        )

    if request.method == "POST" and run_form_action(form, record):
        messages.success(request, _("Session recorded. You can add notes now."))
        return redirect("peercare_session", public_id=created["session"].public_id)
    return render(request, "peercare/session_form.html", {"form": form})


def _own_session(request, public_id) -> SupervisionSession:
    return get_for_org_or_404(
        request,
        SupervisionSession.objects.filter(supervisor=request.user).prefetch_related(
            "attendees__user"
        ),
        public_id=public_id,
    )


@org_permission_required("view_supervision_notes")
def session(request, public_id):
    session = _own_session(request, public_id)
    attendees = list(session.attendees.all())
    form = NoteForm(attendees=attendees)
    return _session_page(request, session, attendees, form)


def _session_page(request, session, attendees, form):
    notes = list(selectors.notes_for_supervisor(session))
    log_list_read(
        request=request,
        subjects=[peer.user for peer in attendees],
        object_type="peercare.supervisionsession",
        reason=gettext_noop("supervision session and notes"),
        details={"session": str(session.public_id), "notes": len(notes)},
    )
    return render(
        request,
        "peercare/session.html",
        {"session": session, "attendees": attendees, "notes": notes, "form": form},
    )


@org_permission_required("record_supervision")
def session_note(request, public_id):
    session = _own_session(request, public_id)
    if request.method != "POST":
        return redirect("peercare_session", public_id=session.public_id)
    attendees = list(session.attendees.all())
    form = NoteForm(request.POST, attendees=attendees)
    by_id = {str(peer.public_id): peer for peer in attendees}

    def add(data):
        services.note_add(
            actor=request.user,
            session=session,
            peer=by_id.get(data.get("peer") or ""),
            text=data["text"],
            request=request,
        )

    if run_form_action(form, add):
        messages.success(request, _("Note saved."))
        return redirect("peercare_session", public_id=session.public_id)
    return _session_page(request, session, attendees, form)
