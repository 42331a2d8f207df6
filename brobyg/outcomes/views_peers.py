"""The peer check-in: a peer's own page, what peers share with their supervisors, and the alerts
that tell supervisors and coordinators a peer may need a talk (never the answers)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brobyg.audit.models import Action
from brobyg.audit.services import log_list_read, log_read, log_request
from brobyg.orgs.permissions import get_for_org_or_404, has_org_permission, org_permission_required
from brobyg.orgs.start import counted, start_programmes
from brobyg.outcomes import charts, schedules, selectors, services_answers
from brobyg.outcomes.links import answer_path, invitation_token
from brobyg.outcomes.models import PeerAlert, RespondentKind, Response
from brobyg.people.models import Peer

# At most this many open alerts on the start page; the oldest wait for the newest to be handled.
ALERTS_ON_START_PAGE = 20


def open_checkins(request) -> list[dict]:
    """The peer's open check-in links (only ever shown to the peer themself)."""
    return [
        {
            "invitation": invitation,
            "path": answer_path(invitation_token(invitation)),
            "title": selectors.instrument_texts(invitation.instrument, request.org).title_in(),
        }
        for invitation in selectors.open_invitations_of_user(
            request.org, request.user, respondent_kind=RespondentKind.PEER
        )
    ]


def _rows(responses) -> list[dict]:
    return [
        {"response": response, "when": schedules.timepoint_label(response.timepoint)}
        for response in responses
    ]


@never_cache
@org_permission_required("answer_own_checkins")
def my_checkins(request):
    responses = list(selectors.own_checkins(request.org, request.user))
    log_request(
        request,
        action=Action.READ,
        object_type="outcomes.response",
        subject=request.user,
        reason=gettext_noop("own check-ins"),
    )
    return render(
        request,
        "outcomes/staff/my_checkins.html",
        {
            "open": open_checkins(request),
            "charts": charts.score_charts(selectors.series_by_instrument(responses, request.org)),
            "rows": _rows(reversed(responses)),
        },
    )


@org_permission_required("answer_own_checkins")
@require_POST
def checkin_share(request, public_id):
    response = get_for_org_or_404(
        request,
        Response.objects.filter(
            user=request.user, respondent_kind=RespondentKind.PEER, completed_at__isnull=False
        ),
        public_id=public_id,
    )
    shared = request.POST.get("shared") == "1"
    services_answers.checkin_set_shared(
        actor=request.user, response=response, shared=shared, request=request
    )
    messages.success(
        request,
        _("Your supervisors can now see this check-in.")
        if shared
        else _("This check-in is now seen by you only."),
    )
    return redirect("outcomes_my_checkins")


@org_permission_required("view_shared_checkins")
def peer_checkins(request, public_id):
    """The check-ins a peer chose to share with their supervisors."""
    peer = get_for_org_or_404(request, Peer.objects.select_related("user"), public_id=public_id)
    responses = list(selectors.shared_checkins(peer))
    log_read(
        request=request,
        target=peer,
        subject=peer.user,
        reason=gettext_noop("check-ins the peer shared"),
    )
    return render(
        request,
        "outcomes/staff/peer_checkins.html",
        {
            "peer": peer,
            "charts": charts.score_charts(selectors.series_by_instrument(responses, request.org)),
            "rows": _rows(reversed(responses)),
        },
    )


@org_permission_required("view_peer_alerts")
@require_POST
def alert_handled(request, public_id):
    alert = get_for_org_or_404(
        request, PeerAlert.objects.select_related("user"), public_id=public_id
    )
    services_answers.alert_mark_handled(actor=request.user, alert=alert, request=request)
    messages.success(
        request, _("Marked as handled: %(name)s was contacted.") % {"name": alert.user.full_name}
    )
    return redirect("start")


# Start-page panels (registered in apps.py)


def alerts_panel(request) -> dict:
    """Peers whose check-in suggests a talk, and (for supervisors) who shared check-ins."""
    alerts = list(selectors.open_alerts(request.org)[:ALERTS_ON_START_PAGE])
    if alerts:
        log_list_read(
            request=request,
            subjects=[alert.user for alert in alerts],
            object_type="outcomes.peeralert",
            reason=gettext_noop("start page: peers who may need a talk"),
            details={"results": len(alerts)},
        )
    sees_shared = has_org_permission(request, "view_shared_checkins")
    return {
        "alerts": alerts,
        "sees_shared": sees_shared,
        "sharing_peers": selectors.peers_sharing_checkins(request.org) if sees_shared else [],
    }


def checkin_panel(request) -> dict:
    return {"open": open_checkins(request)}


def overview_panel(request) -> dict:
    """For those who set up schedules: each active programme and how many schedules it has (the
    start page's programmes, each count with the page's other figures)."""
    return {
        "programmes": [
            {
                "public_id": programme.public_id,
                "name": programme.name,
                "schedule_count": counted(
                    lambda programme=programme: selectors.active_schedules_of(programme),
                    key=("outcomes.schedules", programme.pk),
                ),
            }
            for programme in start_programmes(request)
        ]
    }
