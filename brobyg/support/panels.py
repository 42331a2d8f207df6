"""What support shows on other apps' pages: start-page panels (quiet courses, hand-overs and
follow-ups for coordinators; the week ahead and quiet courses for peers), the citizen page's
courses, and the course status on the referrer's list."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.orgs.permissions import has_org_permission
from brobyg.support import selectors
from brobyg.support.calendar import entries_for
from brobyg.support.models import CourseStatus


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


def citizen_courses(request, citizen) -> dict:
    """The citizen page's section: the citizen's courses this member may see."""
    courses = selectors.courses_visible_to(request.membership).filter(citizen=citizen)
    return {
        "courses": list(courses.select_related("programme").order_by("-started_on")),
        "can_start": has_org_permission(request, "manage_courses"),
    }


def course_statuses(requests) -> dict[int, str]:
    """The referrer's list: only whether the request became a course and its status."""
    labels = {
        CourseStatus.ACTIVE: _("Support course active"),
        CourseStatus.PAUSED: _("Support course paused"),
        CourseStatus.ENDED: _("Support course ended"),
    }
    return {
        request_id: labels[status]
        for request_id, status in selectors.course_status_for_requests(requests).items()
    }
