"""Peer profiles: the coordinators' list and forms, and a peer's own profile and proposals.

Lived experience is shown only to the peer and to coordinators (``manage_peers``); managers see
the list and the practical profile without it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.services import log_list_read, log_read
from brobyg.lib.choices import choice_labels
from brobyg.lib.forms import add_service_errors, run_form_action
from brobyg.lib.pagination import paginate
from brobyg.matching import selectors
from brobyg.matching.forms import AVAILABILITY_CHOICES, OwnPeerProfileForm, PeerProfileForm
from brobyg.orgs.choices import Purpose, RecoveryTool
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.people import selectors as people_selectors
from brobyg.people import services_peers
from brobyg.people.models import ExperienceArea, Peer, PeerStatus, PreferredForm
from brobyg.people.vocabulary import LANGUAGE_CHOICES


def _profile_initial(peer: Peer) -> dict:
    initial = {name: getattr(peer, name) for name in services_peers.PEER_FIELDS}
    initial["programmes"] = list(peer.programmes.all())
    return initial


@org_permission_required("view_peers")
def peer_list(request):
    status = request.GET.get("status", "")
    if status not in PeerStatus.values:
        status = ""
    page = paginate(request, selectors.peers_of_organisation(request.org, status=status))
    rows = selectors.peer_rows(request.org, page.object_list)
    log_list_read(
        request=request,
        subjects=[row["peer"].user for row in rows],
        object_type="people.peer",
        reason=gettext_noop("peer list"),
        details={"status": status, "results": page.paginator.count, "page": page.number},
    )
    return render(
        request,
        "matching/peer_list.html",
        {"rows": rows, "page": page, "status": status, "statuses": PeerStatus.choices},
    )


@org_permission_required("view_peers")
def peer_detail(request, public_id):
    peer = get_for_org_or_404(
        request,
        Peer.objects.select_related("user").prefetch_related("programmes"),
        public_id=public_id,
    )
    sees_experience = has_org_permission(request, "manage_peers")
    log_read(
        request=request,
        target=peer,
        subject=peer.user,
        reason=gettext_noop("peer profile"),
    )
    matches = selectors.matches_of_peer(peer) if sees_experience else []
    return render(
        request,
        "matching/peer_detail.html",
        {
            "peer": peer,
            "sees_experience": sees_experience,
            "live": selectors.live_counts(peer.organisation_id, [peer.pk]).get(peer.pk, 0),
            "matches": matches,
            "labels": {
                "forms": choice_labels(PreferredForm, peer.forms),
                "languages": choice_labels(LANGUAGE_CHOICES, peer.languages),
                "experience_areas": choice_labels(ExperienceArea, peer.experience_areas),
                "strengths": choice_labels(Purpose, peer.strengths),
                "recovery_tools": choice_labels(RecoveryTool, peer.recovery_tools),
                "availability": choice_labels(AVAILABILITY_CHOICES, peer.availability),
            },
        },
    )


@org_permission_required("manage_peers")
def peer_create(request):
    form = PeerProfileForm(request.POST or None, organisation=request.org, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            peer = services_peers.peer_create(
                actor=request.user,
                organisation=request.org,
                user=form.cleaned_data["user"],
                data=form.data_for_service(),
                programmes=list(form.cleaned_data["programmes"]),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The peer profile was created."))
            return redirect("matching_peer_detail", public_id=peer.public_id)
    return render(request, "matching/peer_form.html", {"form": form, "peer": None})


@org_permission_required("manage_peers")
def peer_edit(request, public_id):
    peer = get_for_org_or_404(request, Peer.objects.select_related("user"), public_id=public_id)
    form = PeerProfileForm(
        request.POST or None,
        organisation=request.org,
        creating=False,
        initial=_profile_initial(peer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_peers.peer_update(
                actor=request.user,
                peer=peer,
                data=form.data_for_service(),
                programmes=list(form.cleaned_data["programmes"]),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The peer profile was saved."))
            return redirect("matching_peer_detail", public_id=peer.public_id)
    else:
        log_read(
            request=request, target=peer, subject=peer.user, reason=gettext_noop("peer profile")
        )
    return render(request, "matching/peer_form.html", {"form": form, "peer": peer})


@org_permission_required("edit_own_peer_profile")
def own_profile(request):
    peer = people_selectors.peer_of_user(request.org, request.user)
    if peer is None:
        return render(request, "matching/own_profile_missing.html")
    form = OwnPeerProfileForm(
        request.POST or None,
        initial={name: getattr(peer, name) for name in services_peers.OWN_PEER_FIELDS},
    )
    if request.method == "POST" and run_form_action(
        form,
        lambda data: services_peers.peer_update(
            actor=request.user,
            peer=peer,
            data=form.data_for_service(),
            own=True,
            request=request,
        ),
    ):
        messages.success(request, _("Your profile was saved."))
        return redirect("matching_own_profile")
    return render(request, "matching/own_profile.html", {"peer": peer, "form": form})


@org_permission_required("answer_proposals")
def own_matches(request):
    peer = people_selectors.peer_of_user(request.org, request.user)
    if peer is None:
        return render(request, "matching/own_profile_missing.html")
    matches = list(selectors.matches_of_peer(peer))
    log_list_read(
        request=request,
        subjects=[match.citizen for match in matches],
        object_type="matching.match",
        reason=gettext_noop("a peer's own proposals and matches"),
        details={"results": len(matches)},
    )
    return render(
        request,
        "matching/own_matches.html",
        {
            "peer": peer,
            "waiting": [m for m in matches if m.status == "proposed"],
            "others": [m for m in matches if m.status != "proposed"],
            "live": selectors.live_counts(peer.organisation_id, [peer.pk]).get(peer.pk, 0),
        },
    )
