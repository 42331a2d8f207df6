"""Peer care for those who look after peers: coverage and flags, one peer's care page,
onboarding, training and credentials, the role description and load. Never supervision notes:
those are on the supervisor's and the peer's own pages."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from brobyg.audit.services import log_list_read, log_read
from brobyg.lib.forms import run_form_action
from brobyg.lib.pagination import paginate
from brobyg.orgs.models import Programme
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.peercare import selectors, services
from brobyg.peercare.forms import CareForm, SupervisorForm, TrainingForm
from brobyg.people.models import Peer, PeerStatus


def _peer(request, public_id) -> Peer:
    return get_for_org_or_404(
        request,
        Peer.objects.select_related("user").prefetch_related("programmes"),
        public_id=public_id,
    )


@org_permission_required("view_peer_care")
def overview(request):
    # "Needs attention" names the first flagged peers with their flags alone (as the start
    # page) and links to all of them; the coverage table pages in the database, its rows built
    # without the sections' flags, which it does not show.
    today = timezone.localdate()
    attention = selectors.needs_attention(request.org, limit=selectors.ATTENTION_SHOWN, today=today)
    flagged = attention.rows
    more = attention.count - len(flagged)
    page = paginate(request, selectors.coverage_peers(request.org, today=today))
    rows = selectors.peer_care_rows(request.org, page.object_list, today=today, other={})
    selectors.label_rows([*flagged, *rows])
    waiting = list(selectors.pending_proposals_of_paused_peers(request.org))
    breaks = list(selectors.recent_breaks(request.org, limit=10))
    log_list_read(
        request=request,
        subjects=[row.peer.user for row in [*flagged, *rows]],
        object_type="people.peer",
        reason=gettext_noop("peer care overview"),
        details={"results": page.paginator.count, "page": page.number},
    )
    return render(
        request,
        "peercare/overview.html",
        {
            "rows": rows,
            "page": page,
            "flagged": flagged,
            "more": more,
            "waiting": waiting,
            "breaks": breaks,
        },
    )


@org_permission_required("view_peer_care")
def attention(request):
    """Every peer who needs attention, with their flags, a page at a time (the overview and
    the start page name only the first ones)."""
    today = timezone.localdate()
    page = paginate(request, selectors.flagged_peer_ids(request.org, today=today))
    flagged = selectors.flagged_rows(request.org, page.object_list, today=today)
    selectors.label_rows(flagged)
    log_list_read(
        request=request,
        subjects=[row.peer.user for row in flagged],
        object_type="people.peer",
        reason=gettext_noop("peer care: everyone who needs attention"),
        details={"results": page.paginator.count, "page": page.number},
    )
    return render(request, "peercare/attention.html", {"flagged": flagged, "page": page})


@org_permission_required("view_peer_care")
def peer(request, public_id):
    peer = _peer(request, public_id)
    (row,) = selectors.peer_care_rows(request.org, [peer])
    log_read(request=request, target=peer, subject=peer.user, reason=gettext_noop("peer care"))
    manages = has_org_permission(request, "manage_peer_care")
    return render(
        request,
        "peercare/peer.html",
        {
            "row": row,
            "peer": peer,
            "dates": selectors.coverage_dates(peer),
            "pauses": list(selectors.pause_log(peer)[:20]),
            "records": list(selectors.training_of(peer)),
            "manages": manages,
            "supervisor_form": SupervisorForm(
                initial={"supervisor": row.supervisor.public_id if row.supervisor else None},
                supervisors=selectors.supervisor_choices(request.org),
            )
            if manages
            else None,
            "can_activate": manages
            and peer.status == PeerStatus.ONBOARDING
            and row.checklist_complete,
        },
    )


@org_permission_required("manage_peer_care")
@require_POST
def peer_supervisor(request, public_id):
    peer = _peer(request, public_id)
    form = SupervisorForm(request.POST, supervisors=selectors.supervisor_choices(request.org))
    if run_form_action(
        form,
        lambda data: services.supervisor_assign(
            actor=request.user, peer=peer, supervisor=data["supervisor"], request=request
        ),
    ):
        messages.success(request, _("Supervisor assigned."))
    else:
        messages.error(request, _("Choose a supervisor from the list."))
    return redirect("peercare_peer", public_id=peer.public_id)


@org_permission_required("manage_peer_care")
@require_POST
def peer_activate(request, public_id):
    peer = _peer(request, public_id)
    try:
        services.peer_activate(actor=request.user, peer=peer, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The peer is now active and can be proposed for matches."))
    return redirect("peercare_peer", public_id=peer.public_id)


@org_permission_required("manage_peer_care")
def training_add(request, public_id):
    peer = _peer(request, public_id)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.training_add(
            actor=request.user, peer=peer, data=data, request=request
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect("peercare_peer", public_id=peer.public_id)
    return render(request, "peercare/training_form.html", {"form": form, "peer": peer})


@org_permission_required("manage_role_descriptions")
def programme_care(request, public_id):
    programme = get_for_org_or_404(request, Programme.objects.all(), public_id=public_id)
    care = selectors.programme_care(programme)
    initial = (
        {name: getattr(care, name) for name in services.CARE_FIELDS} if care is not None else None
    )
    form = CareForm(request.POST or None, initial=initial)
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services.care_update(
            actor=request.user, programme=programme, data=data, request=request
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect("peercare_programme", public_id=programme.public_id)
    return render(
        request,
        "peercare/programme_care.html",
        {"form": form, "programme": programme, "care": care},
    )


def _month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


@org_permission_required("view_peer_care")
def load_page(request):
    month = _month(request.GET.get("month", ""))
    sources, rows = selectors.load_rows(request.org, month)
    log_list_read(
        request=request,
        subjects=[row["peer"].user for row in rows],
        object_type="people.peer",
        reason=gettext_noop("peer load"),
        details={"results": len(rows), "month": month.isoformat()[:7]},
    )
    return render(
        request,
        "peercare/load.html",
        {"sources": sources, "rows": rows, "month": month},
    )
