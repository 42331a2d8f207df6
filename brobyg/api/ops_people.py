"""Courses as dates and counts, and a citizen's current consents, through the pages' selectors
(``courses_visible_to``, ``citizens_visible_to``)."""

from uuid import UUID

from django.db.models import Count, Q
from django.utils.translation import gettext_noop
from ninja import Query, Router

from brobyg.api.auth import client_operation
from brobyg.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from brobyg.api.schemas import PROBLEMS, ConsentOut, CoursePage
from brobyg.audit.services import log_list_read, log_read
from brobyg.orgs.permissions import get_for_org_or_404
from brobyg.people import selectors as people_selectors
from brobyg.support import selectors as support_selectors
from brobyg.support.models import SessionStatus

router = Router(tags=["courses and consents"])


def _session_count(status):
    return Count("sessions", filter=Q(sessions__status=status), distinct=True)


@client_operation(
    router.get,
    "/courses",
    "view_courses",
    response={200: CoursePage, **PROBLEMS},
    url_name="api_v1_course_list",
)
def course_list(
    request,
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """The support courses the client sees, oldest first, as dates and session counts (never
    notes); ``next_cursor`` for the next page."""
    courses = (
        support_selectors.courses_visible_to(request.membership)
        .select_related("citizen", "programme", "support_request")
        .annotate(
            held=_session_count(SessionStatus.HELD),
            planned=_session_count(SessionStatus.PLANNED),
            cancelled=_session_count(SessionStatus.CANCELLED),
        )
    )
    items, next_cursor = page(courses, field="created_at", cursor=cursor, limit=limit)
    log_list_read(
        request=request,
        subjects=[course.citizen for course in items],
        object_type="support.course",
        reason=gettext_noop("API: course list"),
        details={"results": len(items)},
    )
    return {
        "items": [
            {
                "id": course.public_id,
                "citizen": course.citizen.public_id,
                "programme": course.programme.public_id,
                "request": course.support_request.public_id if course.support_request else None,
                "status": course.status,
                "form": course.form,
                "started_on": course.started_on,
                "review_on": course.review_on,
                "ended_on": course.ended_on,
                "end_reason": course.end_reason,
                "sessions_held": course.held,
                "sessions_planned": course.planned,
                "sessions_cancelled": course.cancelled,
                "last_session_at": course.last_session_at,
            }
            for course in items
        ],
        "next_cursor": next_cursor,
    }


@client_operation(
    router.get,
    "/citizens/{id}/consents",
    "view_citizen",
    response={200: list[ConsentOut], **PROBLEMS},
    url_name="api_v1_citizen_consents",
)
def citizen_consents(request, id: UUID):
    """The citizen's current consent per purpose (and per organisation for sharing)."""
    citizen = get_for_org_or_404(
        request, people_selectors.citizens_visible_to(request.membership), public_id=id
    )
    log_read(request=request, target=citizen, subject=citizen, reason=gettext_noop("API: consents"))
    return [
        {
            "purpose": consent.purpose,
            "given": consent.given,
            "method": consent.method,
            "recorded_at": consent.recorded_at,
            "shared_with_organisation": consent.shared_with.public_id
            if consent.shared_with
            else None,
        }
        for consent in people_selectors.current_consents(citizen).values()
    ]
