"""Writes for sessions of a support course: log, plan, cancel."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.orgs.choices import RecoveryTool
from brobyg.people.models import ConsentPurpose, Peer
from brobyg.people.selectors import has_consent
from brobyg.support.models import (
    ChimeTheme,
    Course,
    Session,
    SessionStatus,
)
from brobyg.support.services_common import (
    check_codes,
    log,
)


def _session_fields(session: Session, data: dict) -> None:
    for name in ("starts_at", "duration_minutes", "form", "kind", "place"):
        if name in data:
            setattr(session, name, data[name])
    session.recovery_tools = check_codes(
        data.get("recovery_tools", session.recovery_tools), RecoveryTool.values, "recovery_tools"
    )
    session.chime_themes = check_codes(
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
    log(
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
    log(Action.CREATE, actor, session, course.citizen, {"status": "planned"}, request)
    return session


@transaction.atomic
def session_cancel(*, actor, session: Session, request=None) -> Session:
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only a planned appointment can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    log(Action.UPDATE, actor, session, session.course.citizen, {"status": "cancelled"}, request)
    return session
