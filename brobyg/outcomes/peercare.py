"""The peer check-in as a section of peer care (registered in apps.py).

The peer sees their own check-ins there; coordinators and supervisors see only that a flag
exists (the reasons of open alerts, e.g. "asked for a break or a talk"), never the answers.
"""

from django.db.models import Exists, OuterRef, Subquery

from brobyg.outcomes import selectors
from brobyg.outcomes.models import AlertReason, PeerAlert
from brobyg.outcomes.views_peers import open_checkins
from brobyg.people.models import Peer


def own_section(request, peer) -> dict:
    """Only ever built for the peer themself (peer care's own page)."""
    checkins = selectors.own_checkins(request.org, request.user)
    last = checkins.last()
    return {"open": open_checkins(request), "count": checkins.count(), "last": last}


def _open_alerts(organisation, peer_ids):
    """``(peer id, alert)`` for each open check-in alert of ``peer_ids`` (a list or a queryset
    of ids): one query, fetching only the open alerts, each with its peer's id."""
    peers = Peer.objects.filter(organisation=organisation, pk__in=peer_ids)
    alerts = (
        PeerAlert.objects.filter(
            organisation=organisation,
            handled_at__isnull=True,
            user_id__in=peers.values("user_id"),
        )
        .annotate(peer_of_user=Subquery(peers.filter(user_id=OuterRef("user_id")).values("pk")))
        .only("user_id", "reasons")
    )
    return [(alert.peer_of_user, alert) for alert in alerts]


def checkin_flagged(organisation):
    """The peers ``checkin_flags`` gives a label: those with an open check-in alert."""
    return Exists(
        PeerAlert.objects.filter(
            organisation=organisation, handled_at__isnull=True, user_id=OuterRef("user_id")
        )
    )


def checkin_flags(organisation, peer_ids) -> dict[int, list[str]]:
    """``{peer id: [reason label, ...]}`` for peers with an open check-in alert."""
    flags: dict[int, list[str]] = {}
    for peer_id, alert in _open_alerts(organisation, peer_ids):
        labels = flags.setdefault(peer_id, [])
        for label in alert.get_reasons_display():
            if label not in labels:
                labels.append(label)
    return flags


def asked_for_break(organisation, peer_ids) -> dict[int, list[str]]:
    """Matching's caution source: peers with an open alert in which they asked for a break or a
    talk. Only that they asked, never their answers."""
    return {
        peer_id: ["asked_for_break"]
        for peer_id, alert in _open_alerts(organisation, peer_ids)
        if AlertReason.ASKED in alert.reasons
    }
