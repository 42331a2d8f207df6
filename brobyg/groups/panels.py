"""The facilitators' start-page panel (registered in apps.py): earlier sessions still waiting for
their attendance, today's and the next sessions. Group titles and times only, no participant
names."""

from django.utils import timezone

from brobyg.groups import selectors
from brobyg.orgs.start import counted, member_key


def facilitator_panel(request) -> dict:
    awaiting, sessions = selectors.start_page_sessions(request.user, request.org)
    today = timezone.localdate()
    return {
        "awaiting": awaiting,
        "today": [s for s in sessions if timezone.localtime(s.starts_at).date() == today],
        "later": [s for s in sessions if timezone.localtime(s.starts_at).date() != today],
    }


def coordinator_panel(request) -> dict:
    membership = request.membership
    return {
        "counts": {
            name: counted(
                lambda name=name: selectors.group_status_sets(membership)[name],
                key=("groups.status", name, *member_key(request)),
            )
            for name in selectors.GROUP_STATUS_FIGURES
        }
    }
