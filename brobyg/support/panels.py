"""What support shows on other apps' pages: start-page panels (quiet courses, hand-overs and
follow-ups for coordinators; the week ahead and quiet courses for peers), the citizen page's
courses, and the course status on the referrer's list."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.services import log_list_read
from brobyg.lib.rows import public_id_url
from brobyg.orgs.permissions import has_org_permission
from brobyg.orgs.start import counted, member_key
from brobyg.support import selectors
from brobyg.support.extensions import entries_for
from brobyg.support.models import CourseStatus


def _log_shown(request, citizens, reason) -> None:
    if citizens:
        log_list_read(
            request=request,
            subjects=citizens,
            object_type="support.course",
            reason=reason,
            details={"results": len(citizens)},
        )


def coordinator_panel(request) -> dict:
    courses = selectors.courses_visible_to(request.membership)
    quiet = selectors.course_rows(selectors.quiet_courses(courses, limit=10))
    _log_shown(request, [c.citizen for c in quiet], gettext_noop("start page: quiet courses"))
    # The reminder's link reversed once, not a row at a time in the template.
    nudge_url = public_id_url("support_course_nudge")
    for course in quiet:
        course.nudge_url = nudge_url(course.public_id)
    return {
        "quiet": quiet,
        "incoming": counted(
            lambda: selectors.open_incoming(request.org), key=("support.incoming",)
        ),
        "follow_ups": counted(
            lambda: selectors.due_follow_ups(request.org), key=("support.follow_ups",)
        ),
    }


def peer_panel(request) -> dict:
    now = timezone.now()
    courses = selectors.courses_visible_to(request.membership)
    upcoming = entries_for(request.membership, now, now + timedelta(days=7))[:8]
    # The peer's own courses: the list names no peers.
    quiet = selectors.quiet_courses(courses, limit=10)
    shown = [e.subject for e in upcoming if e.subject is not None] + [c.citizen for c in quiet]
    _log_shown(request, shown, gettext_noop("start page: my week and quiet courses"))
    return {
        "upcoming": upcoming,
        "quiet": quiet,
        "live_courses": counted(
            lambda: courses.exclude(status="ended"),
            key=("support.live_courses", *member_key(request)),
        ),
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
