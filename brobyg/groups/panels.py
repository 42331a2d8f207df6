"""The facilitators' start-page panel (registered in apps.py): earlier sessions still waiting for
their attendance, today's and the next sessions. Group titles and times only, no participant
names."""

from django.utils import timezone

from brobyg.groups import selectors


def facilitator_panel(request) -> dict:
    sessions = selectors.next_sessions(request.user, request.org)
    today = timezone.localdate()
    return {
        "awaiting": selectors.sessions_awaiting_attendance(request.user, request.org),
        "today": [s for s in sessions if timezone.localtime(s.starts_at).date() == today],
        "later": [s for s in sessions if timezone.localtime(s.starts_at).date() != today],
    }


def coordinator_panel(request) -> dict:
    return {"counts": selectors.group_status_counts(request.membership)}
