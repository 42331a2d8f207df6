"""What support holds about a citizen: courses, goals, sessions, communities and hand-overs."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.rights.registry import Shredder, citizen_ids, iso
from brobyg.support.models import (
    LIVE_COURSE_STATUSES,
    OPEN_HANDOVER_STATUSES,
    CommunityLink,
    Course,
    CourseStatus,
    EndReason,
    FollowUp,
    GoalVersion,
    Handover,
    HandoverStatus,
    Session,
    SessionStatus,
)


def _courses(citizens):
    return Course.objects.filter(citizen_id__in=citizen_ids(citizens))


def export(*, citizens) -> dict:
    courses = list(_courses(citizens).select_related("programme").order_by("started_on", "pk"))
    goals, sessions, communities, handovers = {}, {}, {}, {}
    for goal in GoalVersion.objects.filter(course__in=courses).order_by("recorded_at", "pk"):
        goals.setdefault(goal.course_id, []).append(
            {"text": goal.text, "recorded_at": iso(goal.recorded_at)}
        )
    for session in Session.objects.filter(course__in=courses).order_by("starts_at", "pk"):
        sessions.setdefault(session.course_id, []).append(
            {
                "status": session.status,
                "starts_at": iso(session.starts_at),
                "duration_minutes": session.duration_minutes,
                "form": session.form,
                "kind": session.kind,
                "place": session.place,
                "recovery_tools": list(session.recovery_tools),
                "themes": list(session.chime_themes),
                "note": session.note,
                "shared_with_team": session.shared_with_team,
            }
        )
    for link in CommunityLink.objects.filter(course__in=courses).select_related("community"):
        communities.setdefault(link.course_id, []).append(
            {
                "community": link.community.name,
                "joined_on": iso(link.joined_on),
                "left_on": iso(link.left_on),
            }
        )
    for handover in Handover.objects.filter(from_course__in=courses).select_related(
        "receiving_organisation", "receiving_programme"
    ):
        handovers.setdefault(handover.from_course_id, []).append(
            {
                "to_organisation": handover.receiving_organisation.name,
                "to_programme": handover.receiving_programme.name,
                "status": handover.status,
                "proposed_at": iso(handover.proposed_at),
                "reason": handover.reason,
                "note": handover.note,
                "shared": list(handover.shared_fields),
                "consent_recorded_at": iso(handover.consent_recorded_at),
            }
        )
    return {
        "courses": [
            {
                "id": str(course.public_id),
                "programme": course.programme.name,
                "status": course.status,
                "started_on": iso(course.started_on),
                "ended_on": iso(course.ended_on),
                "purposes": list(course.purposes),
                "form": course.form,
                "end_reason": course.end_reason,
                "end_words": course.end_words,
                "goals": goals.get(course.pk, []),
                "sessions": sessions.get(course.pk, []),
                "communities": communities.get(course.pk, []),
                "handovers": handovers.get(course.pk, []),
            }
            for course in courses
        ]
    }


def anonymise_courses(courses) -> dict:
    """Clear the words of these courses (an erasure, or the retention of ended courses): goals are
    only the citizen's own words and go; the courses and their sessions stay to be counted."""
    return {
        "courses_anonymised": courses.update(end_words=""),
        "goal_versions_deleted": GoalVersion.objects.filter(course__in=courses).delete()[0],
        "sessions_cleared": Session.objects.filter(course__in=courses).update(
            note="", shared_with_team="", place=""
        ),
        "handovers_cleared": Handover.objects.filter(from_course__in=courses).update(
            reason="", note="", decline_reason="", meeting_place=""
        ),
    }


def erase(*, citizens) -> dict:
    courses = _courses(citizens)
    today = timezone.localdate()
    ended = courses.filter(status__in=LIVE_COURSE_STATUSES).update(
        status=CourseStatus.ENDED, ended_on=today, end_reason=EndReason.OTHER
    )
    cancelled = Session.objects.filter(course__in=courses, status=SessionStatus.PLANNED).update(
        status=SessionStatus.CANCELLED
    )
    handovers = Handover.objects.filter(from_course__in=courses)
    withdrawn = handovers.filter(status__in=OPEN_HANDOVER_STATUSES).update(
        status=HandoverStatus.WITHDRAWN
    )
    return {
        **anonymise_courses(courses),
        "courses_ended": ended,
        "planned_sessions_cancelled": cancelled,
        "handovers_withdrawn": withdrawn,
        "community_links_kept": CommunityLink.objects.filter(course__in=courses).count(),
        "follow_ups_kept": FollowUp.objects.filter(handover__from_course__in=courses).count()
        + FollowUp.objects.filter(community_link__course__in=courses).count(),
    }


SHREDDER = Shredder(
    name="support",
    label=_("Support courses, goals and sessions"),
    models=(
        "support.Course",
        "support.GoalVersion",
        "support.Session",
        "support.CommunityLink",
        "support.Handover",
        "support.FollowUp",
    ),
    export=export,
    erase=erase,
    order=40,
)
