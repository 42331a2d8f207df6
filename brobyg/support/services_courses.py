"""Writes for support courses: create (also from a match), update, goals, end, nudge, settings."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.lib.changes import assign_changes
from brobyg.matching import services as matching_services
from brobyg.matching.models import MatchStatus
from brobyg.orgs.choices import Purpose
from brobyg.orgs.extensions import announce
from brobyg.people.models import Citizen
from brobyg.support import notifications
from brobyg.support.models import (
    Course,
    CourseStatus,
    GoalSource,
    GoalVersion,
    Session,
    SessionStatus,
    SupportSettings,
)
from brobyg.support.services_common import (
    add_months,
    check_codes,
    check_peers,
    log,
)


@transaction.atomic
def course_create(
    *,
    actor,
    citizen: Citizen,
    programme,
    peers,
    data: dict,
    goals: str = "",
    goals_source: str = GoalSource.STAFF,
    goals_carried: GoalVersion | None = None,
    match=None,
    support_request=None,
    request=None,
) -> Course:
    """Start a course. ``data`` holds started_on, review_on, purposes and form. The goals are
    written by ``actor`` with the citizen, or are the citizen's words from ``support_request``
    (``goals_source`` REQUEST), or another course's version carried over (``goals_carried``)."""
    if programme.organisation_id != citizen.organisation_id:
        raise ValidationError({"programme": _("Choose a programme of your organisation.")})
    peers = check_peers(citizen.organisation_id, peers)
    course = Course(
        organisation=citizen.organisation,
        programme=programme,
        citizen=citizen,
        match=match,
        support_request=support_request,
        created_by=actor,
        started_on=data.get("started_on") or timezone.localdate(),
        review_on=data.get("review_on"),
        purposes=check_codes(data.get("purposes"), Purpose.values, "purposes"),
        form=data.get("form") or Course._meta.get_field("form").default,
    )
    if course.review_on and course.review_on < course.started_on:
        raise ValidationError({"review_on": _("The review cannot come before the start.")})
    course.full_clean()
    course.save()
    course.peers.set(peers)
    if goals_carried is not None:
        _goal_version(
            actor,
            course,
            goals_carried.text,
            written_together=goals_carried.written_together,
            source=GoalSource.HANDOVER,
            written_at=goals_carried.written_at or goals_carried.recorded_at,
            carried_from=goals_carried.organisation,
        )
    elif goals.strip() and goals_source == GoalSource.REQUEST:
        _goal_version(
            actor,
            course,
            goals,
            written_together=False,
            source=GoalSource.REQUEST,
            written_at=support_request.created_at,
        )
    elif goals.strip():
        _goal_version(actor, course, goals, written_together=True)
    log(
        Action.CREATE,
        actor,
        course,
        citizen,
        {"peers": [str(peer.public_id) for peer in peers], "match": bool(match)},
        request,
    )
    _announce("course.started", course)
    return course


def _announce(event: str, course: Course) -> None:
    ids = {"course": course.public_id, "citizen": course.citizen.public_id}
    if course.support_request_id:
        ids["request"] = course.support_request.public_id
    announce(event, course, organisation=course.organisation, ids=ids)


def course_create_for_match(*, actor, match, request=None) -> Course:
    """matching's activation step: the accepted match becomes the citizen's course."""
    support_request = match.support_request
    return course_create(
        actor=actor,
        citizen=match.citizen,
        programme=match.programme,
        peers=[match.peer],
        data={
            "started_on": timezone.localdate(),
            "review_on": add_months(timezone.localdate(), 3),
            "purposes": [p for p in support_request.purposes if p in Purpose.values],
        },
        goals=support_request.own_words,
        goals_source=GoalSource.REQUEST,
        match=match,
        support_request=support_request,
        request=request,
    )


@transaction.atomic
def course_update(*, actor, course: Course, data: dict, peers=None, request=None) -> Course:
    course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
    if not course.is_live:
        raise ValidationError(_("An ended course cannot be changed."))
    if "purposes" in data:
        data["purposes"] = check_codes(data["purposes"], Purpose.values, "purposes")
    if data.get("status") == CourseStatus.ENDED:
        raise ValidationError({"status": _("End a course with its own form, giving a reason.")})
    changed = assign_changes(course, data)
    if course.review_on and course.review_on < course.started_on:
        raise ValidationError({"review_on": _("The review cannot come before the start.")})
    course.full_clean()
    course.save()
    if peers is not None:
        peers = check_peers(course.organisation_id, peers)
        if {peer.pk for peer in peers} != set(course.peers.values_list("pk", flat=True)):
            course.peers.set(peers)
            changed.append("peers")
    log(Action.UPDATE, actor, course, course.citizen, {"changed": changed}, request)
    return course


@transaction.atomic
def goals_update(*, actor, course: Course, text: str, written_together: bool, request=None):
    if not course.is_live:
        raise ValidationError(_("An ended course cannot be changed."))
    current = course.goal_versions.first()
    if current is not None and current.text == text.strip():
        raise ValidationError({"text": _("The goals are unchanged.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the goals in the citizen's own words.")})
    version = _goal_version(actor, course, text, written_together=written_together)
    log(Action.UPDATE, actor, course, course.citizen, {"changed": ["goals"]}, request)
    return version


def _goal_version(
    actor,
    course,
    text,
    *,
    written_together,
    source=GoalSource.STAFF,
    written_at=None,
    carried_from=None,
) -> GoalVersion:
    version = GoalVersion(
        organisation=course.organisation,
        course=course,
        text=text.strip(),
        written_together=written_together,
        recorded_by=actor,
        source=source,
        written_at=written_at,
        carried_from=carried_from,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def course_end(
    *, actor, course: Course, ended_on: date, reason: str, words: str = "", request=None
) -> Course:
    """End the course: planned sessions are cancelled and the match it came from ends."""
    course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
    if not course.is_live:
        raise ValidationError(_("This course has already ended."))
    if ended_on < course.started_on:
        raise ValidationError({"ended_on": _("A course cannot end before it started.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("Give today's date or an earlier one.")})
    course.status = CourseStatus.ENDED
    course.ended_on = ended_on
    course.end_reason = reason
    course.end_words = words.strip()
    course.full_clean()
    course.save()
    Session.objects.filter(course=course, status=SessionStatus.PLANNED).update(
        status=SessionStatus.CANCELLED
    )
    if course.match is not None and course.match.status == MatchStatus.ACTIVE:
        matching_services.match_end(
            actor=actor,
            match=course.match,
            reason=course.get_end_reason_display(),
            request=request,
        )
    log(
        Action.UPDATE, actor, course, course.citizen, {"status": "ended", "reason": reason}, request
    )
    _announce("course.ended", course)
    return course


@transaction.atomic
def course_nudge(*, actor, course: Course, request=None) -> Course:
    """A coordinator's gentle reminder to the course's peers that it has been quiet."""
    if not course.is_live:
        raise ValidationError(_("This course has already ended."))
    course.nudged_at = timezone.now()
    course.save(update_fields=["nudged_at"])
    log(Action.UPDATE, actor, course, course.citizen, {"nudged": True}, request)
    transaction.on_commit(lambda: notifications.nudge_peers(course))
    return course


@transaction.atomic
def settings_update(*, actor, programme, inactivity_days: int, request=None) -> SupportSettings:
    current, _created = SupportSettings.objects.get_or_create(
        programme=programme, defaults={"organisation": programme.organisation}
    )
    current.inactivity_days = inactivity_days
    current.full_clean()
    current.save()
    log(
        Action.UPDATE,
        actor,
        current,
        None,
        {"inactivity_days": inactivity_days},
        request,
        organisation=programme.organisation,
    )
    return current
