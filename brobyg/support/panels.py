"""Start-page panels: quiet courses, hand-overs and follow-ups for coordinators; the week ahead
and quiet courses for peers."""

from datetime import timedelta

from django.utils import timezone

from brobyg.support import selectors
from brobyg.support.calendar import entries_for


def coordinator_panel(request) -> dict:
    courses = selectors.courses_visible_to(request.membership)
    return {
        "quiet": selectors.quiet_courses(courses)[:10],
        "incoming": selectors.open_incoming_count(request.org),
        "follow_ups": selectors.due_follow_ups(request.org).count(),
    }


def peer_panel(request) -> dict:
    now = timezone.now()
    courses = selectors.courses_visible_to(request.membership)
    return {
        "upcoming": entries_for(request.membership, now, now + timedelta(days=7))[:8],
        "quiet": selectors.quiet_courses(courses)[:10],
        "live_courses": courses.exclude(status="ended").count(),
    }
