"""Start-page panels (registered in apps.py): flags only, never notes or reasons."""

from django.utils.translation import gettext_noop

from brobyg.audit.services import log_list_read
from brobyg.orgs.start import counted
from brobyg.peercare import selectors
from brobyg.people import selectors as people_selectors


def _log(request, rows, reason):
    if rows:
        log_list_read(
            request=request,
            subjects=[row.peer.user for row in rows],
            object_type="people.peer",
            reason=reason,
            details={"results": len(rows)},
        )


def coordinator_panel(request) -> dict:
    """Overdue supervision, expiring or expired credentials, check-in flags, peers on a break:
    the database finds the flagged peers, only the ones shown are built."""
    attention = selectors.needs_attention(request.org, limit=selectors.ATTENTION_SHOWN)
    selectors.label_rows(attention.rows)
    _log(request, attention.rows, gettext_noop("start page: peer care flags"))
    return {
        "flagged": attention.rows,
        "more": attention.count - len(attention.rows),
        "paused": counted(
            lambda: selectors.peers_on_a_break(request.org), key=("peercare.paused",)
        ),
    }


def supervisor_panel(request) -> dict:
    rows = selectors.peer_care_rows(request.org, selectors.supervisees(request.org, request.user))
    overdue = [row for row in rows if row.overdue]
    _log(request, overdue, gettext_noop("start page: supervision overdue"))
    return {"overdue": overdue, "supervisees": len(rows)}


def peer_panel(request) -> dict:
    peer = people_selectors.own_peer(request)
    if peer is None:
        return {"peer": None}
    return {"peer": peer, "last_supervision": peer.last_supervised_on}
