"""Every change to group courses, their sessions, participants, attendance and messages."""

from datetime import UTC, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on
from brobyg.groups.models import (
    Attendance,
    GroupCourse,
    GroupSession,
    GroupStatus,
    Participant,
    ParticipantKind,
    ParticipantSource,
    ParticipantStatus,
)
from brobyg.intake import services as intake_services
from brobyg.intake.models import Status
from brobyg.lib.changes import reject_unknown_fields
from brobyg.orgs.choices import SupportForm
from brobyg.people import services as people_services
from brobyg.people.models import ConsentMethod, ConsentPurpose, PeerStatus

GROUP_FIELDS = (
    "programme",
    "title",
    "description",
    "kind",
    "tool",
    "tool_other",
    "theme",
    "setting",
    "place_kind",
    "unit",
    "place",
    "co_facilitator",
    "capacity",
    "is_open",
    "public_signup",
    "first_session_at",
    "session_count",
    "interval_days",
    "duration_minutes",
)
PLAN_FIELDS = ("first_session_at", "session_count", "interval_days", "duration_minutes")


def safeguard_error(group: GroupCourse) -> str | None:
    """Why this group may not start (or run) as it is, or None."""
    if group.needs_co_facilitator and not group.co_facilitator_id:
        return _(
            "A group about self-harm or eating disorders cannot start without a professional "
            "co-facilitator: participants sharing these experiences can spread the behaviour "
            "to each other. Add a professional co-facilitator first."
        )
    return None


def _check_facilitators(group: GroupCourse, facilitators) -> None:
    for peer in facilitators:
        if peer.organisation_id != group.organisation_id or peer.status == PeerStatus.ENDED:
            raise ValidationError({"facilitators": _("Choose active peers of your organisation.")})
    if (
        group.co_facilitator_id
        and not group.co_facilitator.memberships.filter(
            organisation=group.organisation, is_active=True
        ).exists()
    ):
        raise ValidationError(
            {"co_facilitator": _("Choose a member of staff of your organisation.")}
        )


def _plan_sessions(group: GroupCourse) -> None:
    """(Re)create the sessions from the plan; only before any attendance was recorded. Sessions
    keep the first one's local time of day, also across a change to or from summer time."""
    group.sessions.all().delete()
    first = timezone.localtime(group.first_session_at)
    starts = [
        first + timedelta(days=group.interval_days * index) for index in range(group.session_count)
    ]
    GroupSession.objects.bulk_create(
        GroupSession(
            organisation=group.organisation,
            group=group,
            number=number,
            starts_at=starts_at,
            # in UTC: a session's length is real time, also in the night the clocks change
            ends_at=starts_at.astimezone(UTC) + timedelta(minutes=group.duration_minutes),
        )
        for number, starts_at in enumerate(starts, start=1)
    )


@transaction.atomic
def group_create(*, actor, organisation, data: dict, facilitators=(), request=None) -> GroupCourse:
    reject_unknown_fields(data, GROUP_FIELDS, "Unknown group fields")
    group = GroupCourse(organisation=organisation, created_by=actor, **data)
    group.full_clean()
    _check_facilitators(group, facilitators)
    group.save()
    group.facilitators.set(facilitators)
    _plan_sessions(group)
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=group,
        details={"kind": group.kind, "theme": group.theme, "sessions": group.session_count},
        request=request,
    )
    return group


@transaction.atomic
def group_update(*, actor, group: GroupCourse, data: dict, facilitators, request=None):
    reject_unknown_fields(data, GROUP_FIELDS, "Unknown group fields")
    group = GroupCourse.objects.select_for_update().get(pk=group.pk)
    before = {name: getattr(group, name) for name in data}
    for name, value in data.items():
        setattr(group, name, value)
    group.full_clean()
    _check_facilitators(group, facilitators)
    if group.status == GroupStatus.RUNNING:
        # The safeguard holds while the group runs, not only when it starts.
        reason = safeguard_error(group)
        if reason:
            raise ValidationError({"co_facilitator": reason})
    plan_changed = any(before[name] != data[name] for name in PLAN_FIELDS if name in data)
    if plan_changed and Attendance.objects.filter(session__group=group).exists():
        raise ValidationError(
            _("Attendance has been recorded, so the session plan can no longer be changed.")
        )
    group.save()
    group.facilitators.set(facilitators)
    if plan_changed:
        _plan_sessions(group)
    changed = sorted(name for name in data if before[name] != data[name])
    log_action_on(
        group, action=Action.UPDATE, actor=actor, details={"fields": changed}, request=request
    )
    return group


def _set_status(*, actor, group, status, request):
    previous = group.status
    group.status = status
    group.status_changed_at = timezone.now()
    group.save(update_fields=["status", "status_changed_at"])
    log_action_on(
        group,
        action=Action.UPDATE,
        actor=actor,
        details={"status": {"before": previous, "after": status}},
        request=request,
    )
    return group


@transaction.atomic
def group_start(*, actor, group: GroupCourse, request=None) -> GroupCourse:
    """The safeguard: a self-harm or eating-disorder group never starts without a professional
    co-facilitator."""
    group = GroupCourse.objects.select_for_update().get(pk=group.pk)
    if group.status != GroupStatus.PLANNED:
        raise ValidationError(_("Only a planned group can be started."))
    reason = safeguard_error(group)
    if reason:
        raise ValidationError(reason)
    if not group.facilitators.exists() and not group.co_facilitator_id:
        raise ValidationError(_("Add at least one facilitator before the group starts."))
    return _set_status(actor=actor, group=group, status=GroupStatus.RUNNING, request=request)


@transaction.atomic
def group_finish(*, actor, group: GroupCourse, request=None) -> GroupCourse:
    group = GroupCourse.objects.select_for_update().get(pk=group.pk)
    if group.status != GroupStatus.RUNNING:
        raise ValidationError(_("Only a running group can be finished."))
    return _set_status(actor=actor, group=group, status=GroupStatus.FINISHED, request=request)


@transaction.atomic
def group_cancel(*, actor, group: GroupCourse, request=None) -> GroupCourse:
    group = GroupCourse.objects.select_for_update().get(pk=group.pk)
    if group.status not in (GroupStatus.PLANNED, GroupStatus.RUNNING):
        raise ValidationError(_("This group has already ended."))
    return _set_status(actor=actor, group=group, status=GroupStatus.CANCELLED, request=request)


# Enrolment


def enrolled_count(group: GroupCourse) -> int:
    return Participant.objects.filter(group=group, status=ParticipantStatus.ENROLLED).count()


def _check_group_takes_people(group: GroupCourse) -> None:
    if group.status not in (GroupStatus.PLANNED, GroupStatus.RUNNING):
        raise ValidationError(_("This group has ended and takes no new participants."))


def _lock(group: GroupCourse) -> GroupCourse:
    """Serialise enrolments of one group, so two people never take the last place."""
    return GroupCourse.objects.select_for_update().get(pk=group.pk)


def _new_participant(*, actor, group, source, request, **fields) -> Participant:
    group = _lock(group)
    _check_group_takes_people(group)
    citizen = fields.get("citizen")
    if citizen is not None:
        if citizen.organisation_id != group.organisation_id:
            raise ValidationError(_("Choose a citizen of your organisation."))
        if (
            Participant.objects.filter(group=group, citizen=citizen)
            .exclude(status=ParticipantStatus.LEFT)
            .exists()
        ):
            raise ValidationError(_("This citizen is already in the group or on its waiting list."))
    full = enrolled_count(group) >= group.capacity
    now = timezone.now()
    participant = Participant(
        organisation=group.organisation,
        group=group,
        source=source,
        status=ParticipantStatus.WAITING if full else ParticipantStatus.ENROLLED,
        enrolled_at=None if full else now,
        **fields,
    )
    participant.full_clean()
    participant.save()
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=group.organisation,
        target=participant,
        subject=participant.audit_subject,
        details={
            "group": str(group.public_id),
            "kind": participant.kind,
            "source": source,
            "status": participant.status,
        },
        request=request,
    )
    return participant


@transaction.atomic
def participant_add(
    *,
    actor,
    group: GroupCourse,
    kind: str,
    source: str = ParticipantSource.COORDINATOR,
    citizen=None,
    name: str = "",
    email: str = "",
    phone: str = "",
    questionnaire_consent: bool = False,
    request=None,
) -> Participant:
    """Add a person by referral or by the coordinator: enrolled when there is a place, otherwise
    on the group's waiting list. A relative or a member of staff needs no citizen record."""
    if kind == ParticipantKind.CITIZEN and citizen is None:
        raise ValidationError(
            _("A citizen joins from the waiting list or by the public sign-up page.")
        )
    return _new_participant(
        actor=actor,
        group=group,
        source=source,
        request=request,
        kind=kind,
        citizen=citizen,
        own_name="" if citizen else name.strip(),
        own_email="" if citizen else email.strip(),
        own_phone="" if citizen else phone.strip(),
        questionnaire_consent=bool(questionnaire_consent) and citizen is None,
    )


def request_fits_groups(support_request) -> bool:
    """A waiting request can go to a group when its programme offers group support."""
    return SupportForm.GROUP in (support_request.programme.forms or [])


@transaction.atomic
def participant_enrol_request(
    *, actor, group: GroupCourse, support_request, request=None
) -> Participant:
    """Enrol the citizen of a waiting request for support. With a place free, the request moves
    on through intake (matched); with the group full, the citizen joins the group's waiting list
    and the request stays waiting until they are moved in."""
    if support_request.organisation_id != group.organisation_id:
        raise ValidationError({"support_request": _("Choose a request of your organisation.")})
    if support_request.status != Status.WAITING:
        raise ValidationError(
            {"support_request": _("Only a request on the waiting list can join.")}
        )
    if not request_fits_groups(support_request):
        raise ValidationError(
            {"support_request": _("The request's programme does not offer group support.")}
        )
    participant = _new_participant(
        actor=actor,
        group=group,
        source=ParticipantSource.WAITING_LIST,
        request=request,
        kind=ParticipantKind.CITIZEN,
        citizen=support_request.citizen,
        support_request=support_request,
    )
    if participant.status == ParticipantStatus.ENROLLED:
        intake_services.request_change_status(
            actor=actor, support_request=support_request, status=Status.MATCHED, request=request
        )
    return participant


def first_waiting(group: GroupCourse) -> Participant | None:
    return (
        Participant.objects.filter(group=group, status=ParticipantStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )


@transaction.atomic
def participant_move_in(*, actor, participant: Participant, request=None) -> Participant:
    """The first on the group's waiting list takes a place that has freed up."""
    group = _lock(participant.group)
    _check_group_takes_people(group)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != ParticipantStatus.WAITING:
        raise ValidationError(_("This person is not on the group's waiting list."))
    first = first_waiting(group)
    if first is None or first.pk != participant.pk:
        raise ValidationError(_("Move in the first person on the waiting list first."))
    if enrolled_count(group) >= group.capacity:
        raise ValidationError(_("The group is full. A place frees up when someone leaves."))
    participant.status = ParticipantStatus.ENROLLED
    participant.enrolled_at = timezone.now()
    participant.save(update_fields=["status", "enrolled_at"])
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=group.organisation,
        target=participant,
        subject=participant.audit_subject,
        details={"status": {"before": ParticipantStatus.WAITING, "after": participant.status}},
        request=request,
    )
    support_request = participant.support_request
    if support_request is not None and support_request.status == Status.WAITING:
        intake_services.request_change_status(
            actor=actor, support_request=support_request, status=Status.MATCHED, request=request
        )
    return participant


@transaction.atomic
def participant_leave(*, actor, participant: Participant, request=None) -> Participant:
    if participant.status == ParticipantStatus.LEFT:
        raise ValidationError(_("This person has already left the group."))
    previous = participant.status
    participant.status = ParticipantStatus.LEFT
    participant.left_at = timezone.now()
    participant.save(update_fields=["status", "left_at"])
    log_action_on(
        participant,
        action=Action.UPDATE,
        actor=actor,
        subject=participant.audit_subject,
        details={"status": {"before": previous, "after": ParticipantStatus.LEFT}},
        request=request,
    )
    return participant


# Public sign-up

SIGNUP_CONSENTS = (ConsentPurpose.SUPPORT, ConsentPurpose.QUESTIONNAIRES, ConsentPurpose.EVALUATION)


@transaction.atomic
def participant_sign_up(
    *,
    group: GroupCourse,
    kind: str,
    person: dict,
    consents: list[str],
    in_crisis: bool,
    request=None,
) -> Participant:
    """Someone signs up on the group's public page (no log-in). A citizen gets a citizen record
    with the consents they gave; a relative or member of staff is kept on the participant only.
    A person in crisis is still signed up, and the coordinators are told at once."""
    if not (group.public_signup and group.programme.is_active):
        raise ValidationError(_("This group does not take sign-ups at the moment."))
    if ConsentPurpose.SUPPORT not in consents:
        raise ValidationError(
            {"consent_support": _("We can only store your sign-up with your consent.")}
        )
    birth_year = person.get("birth_year")
    if birth_year and intake_services.is_below_minimum_age(group.programme, birth_year):
        raise ValidationError(
            {
                "birth_year": _(
                    "This group is for people aged %(age)d or over. Contact us, and we will "
                    "help you find an offer that suits you."
                )
                % {"age": group.programme.minimum_age}
            }
        )
    fields = {"kind": kind, "in_crisis": in_crisis}
    if kind == ParticipantKind.CITIZEN:
        citizen = people_services.citizen_create(
            actor=None, organisation=group.organisation, data=person, request=request
        )
        for purpose in consents:
            people_services.consent_record(
                actor=None,
                citizen=citizen,
                purpose=purpose,
                given=True,
                method=ConsentMethod.SELF_REFERRAL,
                request=request,
            )
        fields["citizen"] = citizen
    else:
        fields.update(
            own_name=person["name"],
            own_email=person.get("email", ""),
            own_phone=person.get("phone", ""),
            questionnaire_consent=ConsentPurpose.QUESTIONNAIRES in consents,
        )
    participant = _new_participant(
        actor=None,
        group=group,
        source=ParticipantSource.PUBLIC_SIGNUP,
        request=request,
        **fields,
    )
    from brobyg.groups import notifications

    transaction.on_commit(
        lambda: notifications.send_signup_receipt(participant=participant), robust=True
    )
    if in_crisis:
        transaction.on_commit(
            lambda: notifications.alert_coordinators(participant=participant), robust=True
        )
    return participant


# Attendance


@transaction.atomic
def attendance_record(
    *, actor, session: GroupSession, present: set, headcount=None, request=None
) -> GroupSession:
    """Record who came (``present``: participant public ids) for a session, and for an open
    group optionally a head-count of everyone in the room, named or not."""
    session = GroupSession.objects.select_for_update().select_related("group").get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise ValidationError(_("Attendance can be recorded from the day of the session."))
    if headcount is not None and not session.group.is_open:
        raise ValidationError({"headcount": _("Only open groups count heads without names.")})
    enrolled = list(
        Participant.objects.filter(group=session.group, status=ParticipantStatus.ENROLLED)
    )
    known = {str(participant.public_id) for participant in enrolled}
    unknown = {str(value) for value in present} - known
    if unknown:
        raise ValidationError(_("Someone ticked is no longer in the group. Reload the list."))
    present = {str(value) for value in present}
    if headcount is not None and headcount < len(present):
        raise ValidationError(
            {"headcount": _("The head-count cannot be lower than the number ticked as present.")}
        )
    existing = {row.participant_id: row for row in Attendance.objects.filter(session=session)}
    for participant in enrolled:
        is_present = str(participant.public_id) in present
        row = existing.get(participant.pk)
        if row is None:
            Attendance.objects.create(
                organisation=session.organisation,
                session=session,
                participant=participant,
                present=is_present,
            )
        elif row.present != is_present:
            row.present = is_present
            row.save(update_fields=["present"])
    session.headcount = headcount
    session.attendance_recorded_at = timezone.now()
    session.attendance_recorded_by = actor
    session.save(update_fields=["headcount", "attendance_recorded_at", "attendance_recorded_by"])
    log_action_on(
        session,
        action=Action.UPDATE,
        actor=actor,
        reason=gettext_noop("attendance recorded"),
        details={"present": len(present), "enrolled": len(enrolled), "headcount": headcount},
        request=request,
    )
    return session


# Merging two citizen records (registered with people.services in apps.py)


def move_for_merge(*, actor, keep, duplicate) -> dict:
    moved = Participant.objects.filter(organisation=keep.organisation_id, citizen=duplicate).update(
        citizen=keep
    )
    return {"group_participants": moved}
