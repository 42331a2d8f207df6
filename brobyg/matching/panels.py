"""Start-page panels (registered in apps.py)."""

from django.utils.translation import gettext_noop

from brobyg.audit.services import log_list_read
from brobyg.matching import selectors
from brobyg.matching.models import MatchStatus
from brobyg.orgs.start import counted
from brobyg.people import selectors as people_selectors


def coordinator_panel(request) -> dict:
    """Figures only: names are one click away, on the matching page."""
    organisation = request.org
    return {
        "figures": {
            name: counted(
                lambda name=name: selectors.matching_figure_sets(organisation)[name],
                key=("matching.figures", name),
            )
            for name in selectors.MATCHING_FIGURES
        }
    }


def peer_panel(request) -> dict:
    peer = people_selectors.own_peer(request)
    if peer is None:
        return {"peer": None}
    # Only what the list shows and the audit log names (the citizen's public id).
    waiting = list(
        selectors.matches_of_peer(peer)
        .filter(status=MatchStatus.PROPOSED)
        .only(
            "public_id",
            "citizen",
            "citizen__public_id",
            "citizen__name",
            "programme",
            "programme__name",
        )
    )
    if waiting:
        log_list_read(
            request=request,
            subjects=[match.citizen for match in waiting],
            object_type="matching.match",
            reason=gettext_noop("start page: proposals waiting for the peer"),
            details={"results": len(waiting)},
        )
    return {"peer": peer, "waiting": waiting}
