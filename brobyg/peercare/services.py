"""Every change in peer care: one function each, atomic, validated, logged.

Free text (notes, reasons, pathway entries) is never put in the audit log's details.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.lib.changes import assign_changes, reject_unknown_fields
from brobyg.orgs.models import Membership
from brobyg.orgs.permissions import member_has
from brobyg.peercare import extensions, notifications, selectors
from brobyg.peercare.models import (
    FlagNotice,
    PathwayEntry,
    PauseAction,
    PauseLogEntry,
    ProgrammePeerCare,
    RoleConfirmation,
    SessionKind,
    SupervisionNote,
    SupervisionSession,
    SupervisorAssignment,
    TrainingRecord,
)
from brobyg.people import services_peers
from brobyg.people.models import Peer, PeerStatus

CARE_TEXT_FIELDS = ("tasks", "not_tasks", "when_worried")
CARE_FIELDS = (*CARE_TEXT_FIELDS, "supervision_weeks")
TRAINING_FIELDS = ("kind", "title", "recovery_tool", "completed_on", "expires_on")
PATHWAY_FIELDS = ("kind", "title", "description", "happened_on", "on_statement")


def _log(action, *, actor, organisation, target=None, subject=None, details=None, request=None):
    log_action(
        action=action,
        actor=actor,
        organisation=organisation,
        target=target,
        subject=subject,
        details=details or {},
        request=request,
    )


# Role description and settings


@transaction.atomic
def care_update(*, actor, programme, data: dict, request=None) -> ProgrammePeerCare:
    care = ProgrammePeerCare.objects.select_for_update().filter(programme=programme).first()
    if care is None:
        care = ProgrammePeerCare(
            organisation=programme.organisation, programme=programme, updated_by=actor
        )
    reject_unknown_fields(data, CARE_FIELDS, "Fields not editable here")
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    if care.pk is None:
        changed = sorted(data)
        for name, value in data.items():
            setattr(care, name, value)
    else:
        changed = assign_changes(care, data)
    if set(changed) & set(CARE_TEXT_FIELDS):
        care.version += 1  # peers confirm the new text again
    care.updated_by = actor
    care.full_clean()
    care.save()
    if changed:
        _log(
            Action.UPDATE,
            actor=actor,
            organisation=programme.organisation,
            target=programme,
            details={"peer_care": sorted(changed), "version": care.version},
            request=request,
        )
    return care


@transaction.atomic
def role_confirm(*, actor, peer: Peer, programme, request=None) -> RoleConfirmation:
    if peer.user_id != actor.pk:
        raise ValidationError(_("Only the peer can confirm their own role."))
    if not peer.programmes.filter(pk=programme.pk).exists():
        raise ValidationError(_("You are not a peer in this programme."))
    care = selectors.programme_care(programme)
    if care is None or not care.has_description:
        raise ValidationError(_("This programme has no role description yet."))
    confirmation, _created = RoleConfirmation.objects.get_or_create(
        organisation=peer.organisation, peer=peer, programme=programme, version=care.version
    )
    _log(
        Action.UPDATE,
        actor=actor,
        organisation=peer.organisation,
        target=peer,
        subject=peer.user,
        details={"role_confirmed": str(programme.public_id), "version": care.version},
        request=request,
    )
    return confirmation


# Onboarding


def _is_supervisor(organisation, user) -> bool:
    membership = Membership.objects.filter(
        organisation=organisation, user=user, is_active=True
    ).first()
    return member_has(membership, "supervise_peers") and user.is_active


@transaction.atomic
def supervisor_assign(*, actor, peer: Peer, supervisor, request=None) -> SupervisorAssignment:
    if not _is_supervisor(peer.organisation, supervisor):
        raise ValidationError({"supervisor": _("Choose a supervisor of this organisation.")})
    assignment, _created = SupervisorAssignment.objects.update_or_create(
        peer=peer,
        defaults={
            "organisation": peer.organisation,
            "supervisor": supervisor,
            "assigned_by": actor,
        },
    )
    _log(
        Action.UPDATE,
        actor=actor,
        organisation=peer.organisation,
        target=peer,
        subject=peer.user,
        details={"supervisor": str(supervisor.public_id)},
        request=request,
    )
    return assignment


@transaction.atomic
def peer_activate(*, actor, peer: Peer, request=None) -> Peer:
    """The coordinator moves a peer whose onboarding checklist is complete to active."""
    peer = Peer.objects.select_for_update().get(pk=peer.pk)
    if peer.status != PeerStatus.ONBOARDING:
        raise ValidationError(_("Only a peer in onboarding can be made active here."))
    (row,) = selectors.peer_care_rows(peer.organisation, [peer])
    if not row.checklist_complete:
        raise ValidationError(_("The onboarding checklist is not complete yet."))
    return services_peers.peer_update(
        actor=actor, peer=peer, data={"status": PeerStatus.ACTIVE}, request=request
    )


# Breaks


@transaction.atomic
def pause_take(*, actor, peer: Peer, reason: str = "", request=None) -> PauseLogEntry:
    """'I'm taking a break': the peer leaves matching at once; coordinators are told, without a
    reason unless the peer gave one; the registered break steps run in the same transaction
    (conversations pauses the peer's conversations). Proposals waiting for the peer stay as they
    are (the peer may still answer them) and are listed to the coordinator, who decides."""
    peer = Peer.objects.select_for_update().get(pk=peer.pk)
    if peer.user_id != actor.pk:
        raise ValidationError(_("Only the peer can take a break."))
    if peer.status not in (PeerStatus.ONBOARDING, PeerStatus.ACTIVE):
        raise ValidationError(_("You are already on a break, or no longer a peer here."))
    entry = PauseLogEntry(
        organisation=peer.organisation,
        peer=peer,
        action=PauseAction.PAUSED,
        status_before=peer.status,
        reason=reason.strip(),
        actor=actor,
    )
    entry.full_clean()
    entry.save()
    services_peers.peer_update(
        actor=actor, peer=peer, data={"status": PeerStatus.PAUSED}, request=request
    )
    extensions.run_break_steps(actor=actor, peer=peer, on_break=True, request=request)
    waiting = selectors.pending_proposals_of_paused_peers(peer.organisation).filter(peer=peer)
    waiting_count = waiting.count()
    transaction.on_commit(
        lambda: notifications.tell_coordinators_of_break(entry, waiting=waiting_count)
    )
    return entry


def can_resume(peer: Peer) -> bool:
    """A peer resumes a break they took themselves; a pause set by the coordinator is lifted
    by the coordinator."""
    if peer.status != PeerStatus.PAUSED:
        return False
    latest = selectors.latest_pause(peer)
    return (
        latest is not None
        and latest.action == PauseAction.PAUSED
        and latest.actor_id == peer.user_id
        and latest.created_at >= peer.status_changed_at - timedelta(seconds=5)
    )


@transaction.atomic
def pause_resume(*, actor, peer: Peer, request=None) -> PauseLogEntry:
    peer = Peer.objects.select_for_update().get(pk=peer.pk)
    if peer.user_id != actor.pk:
        raise ValidationError(_("Only the peer can end their break."))
    if not can_resume(peer):
        raise ValidationError(_("There is no break of yours to end. Talk to your coordinator."))
    latest = selectors.latest_pause(peer)
    back_to = latest.status_before if latest.status_before in PeerStatus.values else "active"
    entry = PauseLogEntry(
        organisation=peer.organisation,
        peer=peer,
        action=PauseAction.RESUMED,
        status_before=peer.status,
        actor=actor,
    )
    entry.full_clean()
    entry.save()
    services_peers.peer_update(actor=actor, peer=peer, data={"status": back_to}, request=request)
    extensions.run_break_steps(actor=actor, peer=peer, on_break=False, request=request)
    transaction.on_commit(lambda: notifications.tell_coordinators_of_return(entry))
    return entry


# Supervision


@transaction.atomic
def session_record(
    *, actor, organisation, kind, held_on, duration_minutes, attendees, request=None
) -> SupervisionSession:
    attendees = list(attendees)
    errors = {}
    if any(peer.organisation_id != organisation.pk for peer in attendees):
        errors["attendees"] = _("Choose peers of this organisation.")
    elif not attendees:
        errors["attendees"] = _("Choose at least one peer.")
    elif kind == SessionKind.INDIVIDUAL and len(attendees) != 1:
        errors["attendees"] = _("An individual session has exactly one peer.")
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = _("Record a session once it has been held.")
    if errors:
        raise ValidationError(errors)
    session = SupervisionSession(
        organisation=organisation,
        kind=kind,
        supervisor=actor,
        held_on=held_on,
        duration_minutes=duration_minutes,
        created_by=actor,
    )
    session.full_clean()
    session.save()
    attendance_record(session, attendees)
    _log(
        Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=session,
        details={"kind": kind, "attendees": [str(peer.public_id) for peer in attendees]},
        request=request,
    )
    return session


@transaction.atomic
def attendance_record(session: SupervisionSession, attendees) -> None:
    """The session's attendees, each one's ``last_supervised_on`` moved up to the session's
    day (a session recorded afterwards for an earlier day leaves a later one as it is), in
    the database and on the peers given. The only way attendances are written, so the peers'
    column stays true."""
    attendees = list(attendees)
    session.attendees.set(attendees)
    held_on = session.held_on
    Peer.objects.filter(pk__in=[peer.pk for peer in attendees]).filter(
        Q(last_supervised_on__isnull=True) | Q(last_supervised_on__lt=held_on)
    ).update(last_supervised_on=held_on)
    for peer in attendees:
        if peer.last_supervised_on is None or peer.last_supervised_on < held_on:
            peer.last_supervised_on = held_on


def last_supervision_recount(peers) -> int:
    """Set ``last_supervised_on`` of ``peers`` (a queryset) from their attendances, in one
    UPDATE: for attendances written in bulk (the benchmark's national data), as the migration
    that added the column did."""
    attended = SupervisionSession.attendees.through.objects.filter(peer_id=OuterRef("pk"))
    return peers.update(
        last_supervised_on=Subquery(
            attended.values("peer_id")
            .annotate(last=Max("supervisionsession__held_on"))
            .values("last")
        )
    )


@transaction.atomic
def note_add(*, actor, session: SupervisionSession, peer: Peer | None, text: str, request=None):
    """The supervisor adds a note about one attendee or for the group; an attendee adds a note
    about themself. Nobody else writes notes."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    attendees = set(session.attendees.values_list("pk", flat=True))
    if peer is not None and peer.pk not in attendees:
        raise ValidationError({"peer": _("Choose a peer who took part in the session.")})
    if actor.pk == session.supervisor_id:
        pass
    elif peer is None or peer.user_id != actor.pk:
        raise ValidationError(_("You can add notes about yourself only."))
    note = SupervisionNote(
        organisation=session.organisation, session=session, peer=peer, text=text, author=actor
    )
    note.full_clean()
    note.save()
    _log(
        Action.CREATE,
        actor=actor,
        organisation=session.organisation,
        target=session,
        subject=peer.user if peer else None,
        details={"note": "peer" if peer else "group"},
        request=request,
    )
    return note


# Training and credentials


def _save_new(row, data: dict):
    """Fill a new row from form data (texts stripped), validate and save it."""
    for name, value in data.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def training_add(*, actor, peer: Peer, data: dict, request=None) -> TrainingRecord:
    reject_unknown_fields(data, TRAINING_FIELDS, "Fields not editable here")
    record = _save_new(
        TrainingRecord(organisation=peer.organisation, peer=peer, recorded_by=actor), data
    )
    _log(
        Action.CREATE,
        actor=actor,
        organisation=peer.organisation,
        target=record,
        subject=peer.user,
        details={"kind": record.kind, "expires_on": str(record.expires_on or "")},
        request=request,
    )
    return record


# Pathways


@transaction.atomic
def pathway_add(*, actor, peer: Peer, data: dict, request=None) -> PathwayEntry:
    if peer.user_id != actor.pk:
        raise ValidationError(_("Only the peer writes in their own pathway."))
    reject_unknown_fields(data, PATHWAY_FIELDS, "Fields not editable here")
    entry = _save_new(PathwayEntry(organisation=peer.organisation, peer=peer), data)
    _log(
        Action.CREATE,
        actor=actor,
        organisation=peer.organisation,
        target=entry,
        subject=peer.user,
        details={"kind": entry.kind},
        request=request,
    )
    return entry


@transaction.atomic
def pathway_delete(*, actor, entry: PathwayEntry, request=None) -> None:
    if entry.peer.user_id != actor.pk:
        raise ValidationError(_("Only the peer writes in their own pathway."))
    _log(
        Action.DELETE,
        actor=actor,
        organisation=entry.organisation,
        target=entry,
        subject=entry.peer.user,
        request=request,
    )
    entry.delete()


# Flags by e-mail


def flags_send(*, organisation, today=None) -> int:
    """E-mail each flag not e-mailed before (per flag and occasion) and remember it. Returns
    the number of new flags sent. Coordinators get every flag; a peer's supervisor the
    supervision flags of their supervisees."""
    flags = selectors.organisation_flags(organisation, today=today)
    sent_before = set(
        FlagNotice.objects.filter(organisation=organisation).values_list(
            "peer_id", "flag", "occasion"
        )
    )
    new = [f for f in flags if (f.peer.pk, f.kind, f.occasion) not in sent_before]
    if not new:
        return 0
    with transaction.atomic():
        FlagNotice.objects.bulk_create(
            [
                FlagNotice(organisation=organisation, peer=f.peer, flag=f.kind, occasion=f.occasion)
                for f in new
            ],
            ignore_conflicts=True,
        )
        supervisors = {
            a.peer_id: a.supervisor
            for a in SupervisorAssignment.objects.filter(
                peer_id__in=[f.peer.pk for f in new]
            ).select_related("supervisor")
        }
        transaction.on_commit(
            lambda: notifications.send_flag_digests(organisation, new, supervisors)
        )
    return len(new)
