"""Writes for support courses, sessions, drop-in counts, communities and hand-overs."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.intake.links import link_token_digest, new_link_token
from brobyg.lib.changes import assign_changes
from brobyg.matching import services as matching_services
from brobyg.matching.models import MatchStatus
from brobyg.orgs.choices import Purpose, RecoveryTool
from brobyg.people import services as people_services
from brobyg.people.models import Citizen, ConsentMethod, ConsentPurpose, Peer, PeerStatus
from brobyg.people.selectors import has_consent
from brobyg.support import notifications
from brobyg.support.models import (
    CalendarFeed,
    ChimeTheme,
    CommunityLink,
    Course,
    CourseStatus,
    DropInCount,
    FollowUp,
    FollowUpKind,
    GoalVersion,
    Handover,
    HandoverStatus,
    Session,
    SessionStatus,
    SharedField,
    SupportSettings,
)

FOLLOW_UP_MONTHS = (3, 6)
MAX_PEERS_PER_COURSE = 2


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _check_peers(organisation_id: int, peers) -> list[Peer]:
    peers = list(peers)
    if not 1 <= len(peers) <= MAX_PEERS_PER_COURSE:
        raise ValidationError({"peers": _("Choose one or two peers.")})
    if any(peer.organisation_id != organisation_id for peer in peers):
        raise ValidationError({"peers": _("A peer of another organisation cannot be chosen.")})
    if any(peer.status == PeerStatus.ENDED for peer in peers):
        raise ValidationError({"peers": _("A peer who has stopped cannot be given a course.")})
    return peers


def _check_codes(values, allowed, field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if any(value not in allowed for value in values):
        raise ValidationError({field: _("Choose from the list.")})
    return values


def _log(action, actor, target, subject, details=None, request=None, organisation=None):
    log_action(
        action=action,
        actor=actor,
        organisation=organisation or target.organisation,
        target=target,
        subject=subject,
        details=details or {},
        request=request,
    )


# Courses


@transaction.atomic
def course_create(
    *,
    actor,
    citizen: Citizen,
    programme,
    peers,
    data: dict,
    goals: str = "",
    match=None,
    support_request=None,
    request=None,
) -> Course:
    """Start a course. ``data`` holds started_on, review_on, purposes and form."""
    if programme.organisation_id != citizen.organisation_id:
        raise ValidationError({"programme": _("Choose a programme of your organisation.")})
    peers = _check_peers(citizen.organisation_id, peers)
    course = Course(
        organisation=citizen.organisation,
        programme=programme,
        citizen=citizen,
        match=match,
        support_request=support_request,
        created_by=actor,
        started_on=data.get("started_on") or timezone.localdate(),
        review_on=data.get("review_on"),
        purposes=_check_codes(data.get("purposes"), Purpose.values, "purposes"),
        form=data.get("form") or Course._meta.get_field("form").default,
    )
    if course.review_on and course.review_on < course.started_on:
        raise ValidationError({"review_on": _("The review cannot come before the start.")})
    course.full_clean()
    course.save()
    course.peers.set(peers)
    if goals.strip():
        _goal_version(actor, course, goals, written_together=True)
    _log(
        Action.CREATE,
        actor,
        course,
        citizen,
        {"peers": [str(peer.public_id) for peer in peers], "match": bool(match)},
        request,
    )
    return course


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
            "review_on": _add_months(timezone.localdate(), 3),
            "purposes": [p for p in support_request.purposes if p in Purpose.values],
        },
        goals=support_request.own_words,
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
        data["purposes"] = _check_codes(data["purposes"], Purpose.values, "purposes")
    if data.get("status") == CourseStatus.ENDED:
        raise ValidationError({"status": _("End a course with its own form, giving a reason.")})
    changed = assign_changes(course, data)
    if course.review_on and course.review_on < course.started_on:
        raise ValidationError({"review_on": _("The review cannot come before the start.")})
    course.full_clean()
    course.save()
    if peers is not None:
        peers = _check_peers(course.organisation_id, peers)
        if {peer.pk for peer in peers} != set(course.peers.values_list("pk", flat=True)):
            course.peers.set(peers)
            changed.append("peers")
    _log(Action.UPDATE, actor, course, course.citizen, {"changed": changed}, request)
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
    _log(Action.UPDATE, actor, course, course.citizen, {"changed": ["goals"]}, request)
    return version


def _goal_version(actor, course, text, *, written_together) -> GoalVersion:
    version = GoalVersion(
        organisation=course.organisation,
        course=course,
        text=text.strip(),
        written_together=written_together,
        recorded_by=actor,
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
    _log(
        Action.UPDATE, actor, course, course.citizen, {"status": "ended", "reason": reason}, request
    )
    return course


@transaction.atomic
def course_nudge(*, actor, course: Course, request=None) -> Course:
    """A coordinator's gentle reminder to the course's peers that it has been quiet."""
    if not course.is_live:
        raise ValidationError(_("This course has already ended."))
    course.nudged_at = timezone.now()
    course.save(update_fields=["nudged_at"])
    _log(Action.UPDATE, actor, course, course.citizen, {"nudged": True}, request)
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
    _log(
        Action.UPDATE,
        actor,
        current,
        None,
        {"inactivity_days": inactivity_days},
        request,
        organisation=programme.organisation,
    )
    return current


# Sessions


def _session_fields(session: Session, data: dict) -> None:
    for name in ("starts_at", "duration_minutes", "form", "kind", "place"):
        if name in data:
            setattr(session, name, data[name])
    session.recovery_tools = _check_codes(
        data.get("recovery_tools", session.recovery_tools), RecoveryTool.values, "recovery_tools"
    )
    session.chime_themes = _check_codes(
        data.get("chime_themes", session.chime_themes), ChimeTheme.values, "chime_themes"
    )
    session.note = (data.get("note", session.note) or "").strip()
    session.shared_with_team = (
        data.get("shared_with_team", session.shared_with_team) or ""
    ).strip()


def _peer_of(actor, course) -> Peer | None:
    return next((peer for peer in course.peers.all() if peer.user_id == actor.pk), None)


@transaction.atomic
def session_log(
    *,
    actor,
    course: Course,
    data: dict,
    session: Session | None = None,
    next_appointment: datetime | None = None,
    request=None,
) -> Session:
    """Record a held session: a planned one now held, or a new one. ``next_appointment`` plans
    the following meeting in the peers' calendar."""
    course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
    if not course.is_live:
        raise ValidationError(_("This course has ended; sessions can no longer be logged."))
    if session is None:
        session = Session(organisation=course.organisation, course=course, recorded_by=actor)
    elif session.course_id != course.pk or session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session cannot be logged."))
    _session_fields(session, data)
    if session.starts_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"starts_at": _("A session is logged once it has been held.")})
    if session.shared_with_team and not has_consent(course.citizen, ConsentPurpose.SHARE_WITH_TEAM):
        raise ValidationError(
            {
                "shared_with_team": _(
                    "The citizen has not consented to sharing with the team, so this field "
                    "cannot be used. Record the consent on the citizen's page first."
                )
            }
        )
    if next_appointment is not None and next_appointment <= timezone.now():
        raise ValidationError(
            {"next_appointment": _("The next appointment must be in the future.")}
        )
    was_new = session.pk is None
    session.status = SessionStatus.HELD
    session.peer = session.peer or _peer_of(actor, course)
    session.full_clean()
    session.save()
    latest = course.sessions.filter(status=SessionStatus.HELD).order_by("-starts_at").first()
    course.last_session_at = latest.starts_at if latest else None
    course.save(update_fields=["last_session_at"])
    if next_appointment is not None:
        _plan(
            actor, course, next_appointment, session.duration_minutes, session.form, session.place
        )
    _log(
        Action.CREATE if was_new else Action.UPDATE,
        actor,
        session,
        course.citizen,
        {"status": "held", "next_appointment": next_appointment is not None},
        request,
    )
    return session


def _plan(actor, course, starts_at, duration_minutes, form, place) -> Session:
    session = Session(
        organisation=course.organisation,
        course=course,
        status=SessionStatus.PLANNED,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        form=form,
        place=place,
        recorded_by=actor,
        peer=_peer_of(actor, course),
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_plan(*, actor, course: Course, data: dict, request=None) -> Session:
    if not course.is_live:
        raise ValidationError(_("This course has ended; no new appointments can be made."))
    if data["starts_at"] <= timezone.now():
        raise ValidationError({"starts_at": _("An appointment must be in the future.")})
    session = _plan(
        actor,
        course,
        data["starts_at"],
        data.get("duration_minutes") or 60,
        data.get("form") or Session._meta.get_field("form").default,
        data.get("place", ""),
    )
    _log(Action.CREATE, actor, session, course.citizen, {"status": "planned"}, request)
    return session


@transaction.atomic
def session_cancel(*, actor, session: Session, request=None) -> Session:
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only a planned appointment can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    _log(Action.UPDATE, actor, session, session.course.citizen, {"status": "cancelled"}, request)
    return session


# Drop-in


@transaction.atomic
def drop_in_record(*, actor, organisation, data: dict, request=None) -> DropInCount:
    count = DropInCount(organisation=organisation, recorded_by=actor, **data)
    if count.unit.organisation_id != organisation.pk:
        raise ValidationError({"unit": _("Choose a unit of your organisation.")})
    if count.day > timezone.localdate():
        raise ValidationError({"day": _("Give today's date or an earlier one.")})
    count.full_clean()
    count.save()
    _log(Action.CREATE, actor, count, None, {"contacts": count.contacts}, request)
    return count


# Communities


@transaction.atomic
def community_save(*, actor, community, request=None):
    was_new = community.pk is None
    community.full_clean()
    community.save()
    _log(Action.CREATE if was_new else Action.UPDATE, actor, community, None, {}, request)
    return community


def _follow_ups(organisation, start: date, **subject) -> None:
    FollowUp.objects.bulk_create(
        FollowUp(
            organisation=organisation, months=months, due_on=_add_months(start, months), **subject
        )
        for months in FOLLOW_UP_MONTHS
    )


@transaction.atomic
def community_join(*, actor, course: Course, community, joined_on: date, request=None):
    if community.organisation_id != course.organisation_id:
        raise ValidationError({"community": _("Choose a community from the register.")})
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("Give today's date or an earlier one.")})
    if course.communities.filter(community=community, left_on__isnull=True).exists():
        raise ValidationError({"community": _("The citizen is already part of this community.")})
    link = CommunityLink(
        organisation=course.organisation,
        course=course,
        community=community,
        joined_on=joined_on,
        recorded_by=actor,
    )
    link.full_clean()
    link.save()
    _follow_ups(course.organisation, joined_on, kind=FollowUpKind.COMMUNITY, community_link=link)
    _log(Action.CREATE, actor, link, course.citizen, {"community": community.name}, request)
    return link


@transaction.atomic
def community_leave(*, actor, link: CommunityLink, left_on: date, request=None):
    if link.left_on is not None:
        raise ValidationError(_("This has already been recorded as left."))
    if left_on < link.joined_on or left_on > timezone.localdate():
        raise ValidationError({"left_on": _("Give a date between joining and today.")})
    link.left_on = left_on
    link.save(update_fields=["left_on"])
    _log(Action.UPDATE, actor, link, link.course.citizen, {"left": True}, request)
    return link


@transaction.atomic
def follow_up_record(
    *, actor, follow_up: FollowUp, started: bool, still_connected: bool, request=None
):
    if follow_up.due_on > timezone.localdate() + timedelta(days=14):
        raise ValidationError(_("This follow-up is not due yet."))
    if still_connected and not started:
        raise ValidationError(
            {"still_connected": _("A citizen who did not start cannot still be connected.")}
        )
    follow_up.started = started
    follow_up.still_connected = still_connected
    follow_up.recorded_by = actor
    follow_up.recorded_at = timezone.now()
    follow_up.save()
    subject = (
        follow_up.handover.to_course.citizen
        if follow_up.handover_id and follow_up.handover.to_course_id
        else follow_up.community_link.course.citizen
        if follow_up.community_link_id
        else None
    )
    _log(
        Action.UPDATE,
        actor,
        follow_up,
        subject,
        {"started": started, "still_connected": still_connected},
        request,
    )
    return follow_up


# Hand-overs


@transaction.atomic
def handover_propose(
    *, actor, course: Course, receiving_programme, reason: str, note: str = "", request=None
):
    if not course.is_live:
        raise ValidationError(_("An ended course cannot be handed over."))
    if course.handovers_out.filter(
        status__in=[HandoverStatus.PROPOSED, HandoverStatus.CONSENTED]
    ).exists():
        raise ValidationError(_("This course already has a hand-over under way."))
    if receiving_programme.pk == course.programme_id:
        raise ValidationError(
            {"receiving_programme": _("Choose another programme than the course's own.")}
        )
    if not receiving_programme.is_active:
        raise ValidationError(
            {"receiving_programme": _("This programme no longer takes citizens.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Write why a hand-over would help the citizen.")})
    handover = Handover(
        organisation=course.organisation,
        from_course=course,
        receiving_organisation=receiving_programme.organisation,
        receiving_programme=receiving_programme,
        reason=reason.strip(),
        note=note.strip(),
        proposed_by=actor,
    )
    handover.full_clean()
    handover.save()
    _log(
        Action.CREATE,
        actor,
        handover,
        course.citizen,
        {"receiving_organisation": str(receiving_programme.organisation.public_id)},
        request,
    )
    transaction.on_commit(lambda: notifications.tell_receiving_coordinators(handover))
    return handover


@transaction.atomic
def handover_record_consent(*, actor, handover: Handover, fields, method: str, request=None):
    """The citizen's consent to exactly ``fields`` being shared with the receiving side. Sharing
    with another organisation is also recorded in the citizen's consent history, naming it, so
    that a withdrawal there hides the shared fields at once."""
    handover = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    if not handover.is_open:
        raise ValidationError(_("This hand-over is no longer open."))
    fields = _check_codes(fields, SharedField.values, "fields")
    if method not in ConsentMethod.values:
        raise ValidationError({"method": _("Choose how the consent was obtained.")})
    citizen = handover.from_course.citizen
    if handover.receiving_organisation_id != handover.organisation_id:
        people_services.consent_record(
            actor=actor,
            citizen=citizen,
            purpose=ConsentPurpose.SHARE_WITH_ORGANISATION,
            given=bool(fields),
            method=method,
            shared_with=handover.receiving_organisation,
            request=request,
        )
    handover.shared_fields = fields
    handover.consent_method = method
    handover.consent_recorded_at = timezone.now()
    handover.consent_recorded_by = actor
    handover.status = HandoverStatus.CONSENTED
    handover.save()
    _log(
        Action.UPDATE,
        actor,
        handover,
        citizen,
        {"consented_fields": fields, "method": method},
        request,
    )
    return handover


def sharing_stands(handover: Handover) -> bool:
    """Whether the citizen's consent to share with the receiving organisation still stands."""
    if not handover.shared_fields:
        return False
    if handover.receiving_organisation_id == handover.organisation_id:
        return True
    with scopes_disabled():
        return has_consent(
            handover.from_course.citizen,
            ConsentPurpose.SHARE_WITH_ORGANISATION,
            shared_with=handover.receiving_organisation,
        )


@transaction.atomic
def handover_accept(
    *,
    actor,
    handover: Handover,
    peer: Peer,
    meeting_at: datetime,
    meeting_place: str = "",
    request=None,
) -> Course:
    """The receiving side accepts: it gets its own course with its own peer (and, from another
    organisation, a citizen record holding only the consented fields), the warm hand-over
    meeting is planned in both courses, and follow-ups are due after 3 and 6 months."""
    with scopes_disabled():
        handover = (
            Handover.objects.select_for_update(of=("self",))
            .select_related("from_course__citizen", "from_course__programme")
            .get(pk=handover.pk)
        )
    if not handover.is_open:
        raise ValidationError(_("This hand-over is no longer open."))
    if (
        peer.organisation_id != handover.receiving_organisation_id
        or not peer.programmes.filter(pk=handover.receiving_programme_id).exists()
    ):
        raise ValidationError({"peer": _("Choose a peer of the receiving programme.")})
    if meeting_at <= timezone.now():
        raise ValidationError({"meeting_at": _("The meeting must be in the future.")})
    source = handover.from_course.citizen
    shared = set(handover.shared_fields) if sharing_stands(handover) else set()
    if handover.receiving_organisation_id == handover.organisation_id:
        citizen = source
    else:
        if not {SharedField.NAME, SharedField.CONTACT} <= shared:
            raise ValidationError(
                _(
                    "To start a course here the citizen must have consented to sharing their "
                    "name and contact details. Ask the sending peer to talk with the citizen."
                )
            )
        citizen = people_services.citizen_create(
            actor=actor,
            organisation=handover.receiving_organisation,
            data=_shared_citizen_data(source, shared),
            request=request,
        )
    goals = ""
    if SharedField.GOALS in shared:
        with scopes_disabled():
            current = handover.from_course.goal_versions.first()
        goals = current.text if current else ""
    course = course_create(
        actor=actor,
        citizen=citizen,
        programme=handover.receiving_programme,
        peers=[peer],
        data={"started_on": timezone.localdate(meeting_at)},
        goals=goals,
        request=request,
    )
    handover.status = HandoverStatus.ACCEPTED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.to_course = course
    handover.meeting_at = meeting_at
    handover.meeting_place = meeting_place.strip()
    handover.save()
    for side in (handover.from_course, course):
        session = Session(
            organisation=side.organisation,
            course=side,
            status=SessionStatus.PLANNED,
            starts_at=meeting_at,
            duration_minutes=60,
            kind="bridge",
            place=handover.meeting_place,
            recorded_by=actor,
        )
        session.full_clean()
        session.save()
    _follow_ups(
        handover.receiving_organisation,
        timezone.localdate(meeting_at),
        kind=FollowUpKind.HANDOVER,
        handover=handover,
    )
    _log(
        Action.UPDATE,
        actor,
        handover,
        citizen,
        {"status": "accepted", "course": str(course.public_id)},
        request,
        organisation=handover.receiving_organisation,
    )
    transaction.on_commit(lambda: notifications.tell_sending_side(handover))
    return course


def _shared_citizen_data(source: Citizen, shared: set[str]) -> dict:
    data = {"name": source.name, "phone": source.phone, "email": source.email}
    if SharedField.CONTACT_TIMES in shared:
        data["contact_times"] = source.contact_times
    if SharedField.AGE in shared:
        data["birth_year"] = source.birth_year
    if SharedField.MUNICIPALITY in shared:
        data["municipality"] = source.municipality
    if SharedField.LANGUAGES in shared:
        data["languages"] = list(source.languages)
    return data


@transaction.atomic
def handover_decline(*, actor, handover: Handover, reason: str, request=None) -> Handover:
    with scopes_disabled():
        handover = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    if not handover.is_open:
        raise ValidationError(_("This hand-over is no longer open."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why, so the sending peer can find another way.")})
    handover.status = HandoverStatus.DECLINED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.decline_reason = reason.strip()
    handover.save()
    _log(
        Action.UPDATE,
        actor,
        handover,
        None,
        {"status": "declined"},
        request,
        organisation=handover.receiving_organisation,
    )
    transaction.on_commit(lambda: notifications.tell_sending_side(handover))
    return handover


@transaction.atomic
def handover_withdraw(*, actor, handover: Handover, request=None) -> Handover:
    handover = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    if not handover.is_open:
        raise ValidationError(_("This hand-over is no longer open."))
    handover.status = HandoverStatus.WITHDRAWN
    handover.save(update_fields=["status"])
    _log(
        Action.UPDATE,
        actor,
        handover,
        handover.from_course.citizen,
        {"status": "withdrawn"},
        request,
    )
    return handover


# Calendar feed


@transaction.atomic
def calendar_feed_renew(*, actor, membership, request=None) -> str:
    """A new secret feed address for the member (an earlier one stops working); shown once."""
    token = new_link_token()
    CalendarFeed.objects.update_or_create(
        membership=membership,
        defaults={
            "organisation": membership.organisation,
            "token_digest": link_token_digest(token),
        },
    )
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=membership.organisation,
        object_type="support.calendarfeed",
        object_id=str(membership.public_id),
        details={"renewed": True},
        request=request,
    )
    return token


@transaction.atomic
def calendar_feed_stop(*, actor, membership, request=None) -> None:
    CalendarFeed.objects.filter(membership=membership).delete()
    log_action(
        action=Action.DELETE,
        actor=actor,
        organisation=membership.organisation,
        object_type="support.calendarfeed",
        object_id=str(membership.public_id),
        request=request,
    )


# Merging citizen records


def move_for_merge(*, actor, keep, duplicate) -> dict:
    moved = Course.objects.filter(citizen=duplicate).update(citizen=keep)
    return {"courses": moved}
