"""Every change to a volunteer application: received from the public page, moved through the
organisation's stages (with a note per stage), ended kindly ("not now"), made active (which
creates the membership and the volunteer peer profile through the orgs and people services),
reminded about when it waits too long, and erased after the retention period when it was
ended without becoming active."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on
from brobyg.lib.days import start_of_day
from brobyg.orgs import services as orgs_services
from brobyg.orgs.choices import Role, SupportType
from brobyg.orgs.models import Membership, Programme
from brobyg.orgs.permissions import member_has
from brobyg.people import services_peers
from brobyg.people.models import AVAILABILITY_SLOTS, AgeBand, Peer, PeerStatus
from brobyg.volunteers.models import (
    Application,
    ApplicationStatus,
    NotNowReason,
    Stage,
    StageEvent,
    StageKind,
)

# The pipeline an organisation starts with; the coordinator gives the steps its own names.
DEFAULT_STAGES = (
    (gettext_lazy("Applied"), StageKind.STEP),
    (gettext_lazy("First talk"), StageKind.STEP),
    (gettext_lazy("References"), StageKind.STEP),
    (gettext_lazy("Criminal-record certificate seen"), StageKind.CERTIFICATE),
    (gettext_lazy("Basic training"), StageKind.STEP),
    (gettext_lazy("Agreement signed"), StageKind.STEP),
    (gettext_lazy("Active"), StageKind.ACTIVE),
)

# An application waiting in one stage for longer than this many local calendar days is
# brought to the coordinators' attention by the periodic reminder (once per stage).
STAGE_REMINDER_DAYS = 14

APPLICATION_FIELDS = (
    "name",
    "email",
    "phone",
    "birth_year",
    "municipality",
    "gender",
    "experience_areas",
    "availability",
    "hours_per_month",
    "own_recovery",
    "motivation",
    "works_with_minors",
)

# When an applicant can volunteer -> the peer profile's availability slots.
AVAILABILITY_TO_SLOTS = {
    "weekday_daytime": [
        f"{day}_{part}"
        for day in ("mon", "tue", "wed", "thu", "fri")
        for part in ("morning", "afternoon")
    ],
    "evenings": [slot for slot in AVAILABILITY_SLOTS if slot.endswith("_evening")],
    "weekends": [slot for slot in AVAILABILITY_SLOTS if slot.startswith(("sat_", "sun_"))],
}


@transaction.atomic
def stages_ensure(*, organisation) -> list[Stage]:
    """The organisation's stages; the default pipeline is created the first time it is needed."""
    stages = list(Stage.objects.filter(organisation=organisation).order_by("position"))
    if stages:
        return stages
    for position, (name, kind) in enumerate(DEFAULT_STAGES, start=1):
        stages.append(
            Stage.objects.create(
                organisation=organisation, position=position, name=str(name), kind=kind
            )
        )
    return stages


@transaction.atomic
def stages_rename(*, actor, organisation, names: dict[int, str]) -> list[Stage]:
    """Give the organisation's stages its own names (``names``: stage pk -> name)."""
    stages = stages_ensure(organisation=organisation)
    changed = []
    for stage in stages:
        name = " ".join(names.get(stage.pk, stage.name).split())
        if not name:
            raise ValidationError({f"stage_{stage.pk}": _("Give the stage a name.")})
        if name != stage.name:
            stage.name = name
            stage.full_clean()
            stage.save(update_fields=["name"])
            changed.append(stage.pk)
    if changed:
        log_action(
            action=Action.UPDATE,
            actor=actor,
            organisation=organisation,
            object_type="volunteers.stage",
            details={"renamed": len(changed)},
        )
    return stages


def _event(application, *, actor=None, note: str = "") -> StageEvent:
    return StageEvent.objects.create(
        organisation=application.organisation,
        application=application,
        stage=application.stage,
        status=application.status,
        note=note.strip(),
        actor=actor,
    )


@transaction.atomic
def application_submit(*, organisation, data: dict, in_crisis: bool, request=None) -> Application:
    """A person applies through the public page. The coordinators are told at once when the
    applicant answered that they are in crisis (the page shows them the emergency numbers)."""
    unknown = set(data) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown application fields: {sorted(unknown)}")
    if not organisation.is_active:
        raise ValidationError(_("This organisation is not taking applications at the moment."))
    first = stages_ensure(organisation=organisation)[0]
    now = timezone.now()
    application = Application(
        organisation=organisation,
        stage=first,
        stage_entered_at=now,
        in_crisis=in_crisis,
        consent_given_at=now,
        **data,
    )
    application.full_clean()
    application.save()
    _event(application)
    log_action(
        action=Action.CREATE,
        organisation=organisation,
        target=application,
        subject=application,
        details={"in_crisis": in_crisis},
        request=request,
    )
    from brobyg.volunteers import notifications, tasks

    transaction.on_commit(lambda: notifications.send_receipt(application=application), robust=True)
    if in_crisis:
        transaction.on_commit(
            lambda: tasks.alert_coordinators.enqueue(application_id=application.pk), robust=True
        )
    return application


def _locked_open(application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise ValidationError(_("This application has already ended."))
    return application


@transaction.atomic
def application_add_note(*, actor, application, note: str, request=None) -> StageEvent:
    """A note on the application's current stage."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write the note.")})
    application = Application.objects.get(pk=application.pk)
    event = _event(application, actor=actor, note=note)
    log_action_on(
        application,
        action=Action.UPDATE,
        actor=actor,
        subject=application,
        details={"note": True},
        request=request,
    )
    return event


@transaction.atomic
def application_move(
    *,
    actor,
    application,
    stage: Stage,
    note: str = "",
    certificate_kind: str = "",
    certificate_seen_on=None,
    request=None,
) -> Application:
    """Move an open application to another stage of its organisation, with a note.

    Leaving a certificate stage forwards needs the certificate recorded as seen (kind and date;
    the certificate itself is never stored). Reaching the ``active`` stage makes the applicant
    a volunteer peer (``_activate``)."""
    application = _locked_open(application)
    if stage.organisation_id != application.organisation_id:
        raise ValidationError({"stage": _("Choose a stage of this organisation.")})
    if stage.pk == application.stage_id:
        raise ValidationError({"stage": _("The application is already in this stage.")})
    details = {"from": application.stage_id, "to": stage.pk}
    if certificate_kind or certificate_seen_on:
        if not (certificate_kind and certificate_seen_on):
            raise ValidationError(
                {"certificate_seen_on": _("Give both the kind of certificate and the date seen.")}
            )
        if certificate_seen_on > timezone.localdate():
            raise ValidationError(
                {"certificate_seen_on": _("The date the certificate was seen cannot be ahead.")}
            )
        application.certificate_kind = certificate_kind
        application.certificate_seen_on = certificate_seen_on
        application.certificate_seen_by = actor
        details["certificate"] = certificate_kind
    skipped = Stage.objects.filter(
        organisation=application.organisation,
        position__gte=application.stage.position,
        position__lt=stage.position,
        kind=StageKind.CERTIFICATE,
    )
    if skipped.exists() and not application.certificate_seen_on:
        raise ValidationError(
            {
                "certificate_seen_on": _(
                    "Record that the criminal-record certificate was seen before the application "
                    "moves past this stage."
                )
            }
        )
    application.stage = stage
    application.stage_entered_at = timezone.now()
    if stage.kind == StageKind.ACTIVE:
        _activate(actor=actor, application=application, request=request)
    application.full_clean()
    application.save()
    _event(application, actor=actor, note=note)
    log_action_on(
        application,
        action=Action.UPDATE,
        actor=actor,
        subject=application,
        details=details,
        request=request,
    )
    return application


def volunteer_programmes(organisation):
    """The programmes a new volunteer peer joins: the organisation's active volunteer
    programmes, or all its active programmes when none is marked volunteer."""
    programmes = Programme.objects.filter(organisation=organisation, is_active=True)
    volunteer = programmes.filter(support_type=SupportType.VOLUNTEER)
    return list(volunteer if volunteer.exists() else programmes)


def _activate(*, actor, application, request=None) -> None:
    """The applicant becomes a volunteer peer: a membership with the peer role (an invitation
    to choose a password is e-mailed) and an active volunteer peer profile from what they wrote
    in the application, so nothing is typed twice and matching can suggest them at once."""
    organisation = application.organisation
    membership = Membership.objects.filter(
        organisation=organisation, user__email__iexact=application.email
    ).first()
    if membership is None:
        membership = orgs_services.member_add(
            actor=actor,
            organisation=organisation,
            email=application.email,
            full_name=application.name,
            roles=[Role.PEER],
        )
    elif not member_has(membership, "serve_as_peer") or not membership.is_active:
        orgs_services.member_update(
            actor=actor,
            membership=membership,
            roles=[*membership.roles, Role.PEER],
            is_active=True,
        )
    user = membership.user
    if Peer.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("This person already has a peer profile here."))
    slots = sorted(
        {slot for code in application.availability for slot in AVAILABILITY_TO_SLOTS[code]}
    )
    this_year = timezone.localdate().year
    application.peer = services_peers.peer_create(
        actor=actor,
        organisation=organisation,
        user=user,
        data={
            "kind": SupportType.VOLUNTEER,
            "status": PeerStatus.ACTIVE,
            "experience_areas": application.experience_areas,
            "languages": ["da"],
            "gender": application.gender,
            "municipalities": [application.municipality],
            "availability": slots,
            "capacity": 2 if application.hours_per_month < 10 else 3,
            "supports_min_age": 15 if application.works_with_minors else 18,
            "forms": ["individual"],
            "age_band": _age_band(this_year - application.birth_year),
        },
        programmes=volunteer_programmes(organisation),
        request=request,
    )
    application.status = ApplicationStatus.ACTIVE
    application.closed_at = timezone.now()


def _age_band(age: int) -> str:
    if age < 30:
        return AgeBand.UNDER_30
    return AgeBand.FROM_30_TO_50 if age <= 50 else AgeBand.OVER_50


@transaction.atomic
def application_not_now(
    *, actor, application, reason: str, message: str = "", request=None
) -> Application:
    """End the application kindly: the applicant gets an e-mail thanking them, with the
    coordinator's own words if given. The reason is kept for the figures."""
    application = _locked_open(application)
    if reason not in NotNowReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    application.status = ApplicationStatus.NOT_NOW
    application.not_now_reason = reason
    application.closed_at = timezone.now()
    application.full_clean()
    application.save()
    _event(application, actor=actor, note=message)
    log_action_on(
        application,
        action=Action.UPDATE,
        actor=actor,
        subject=application,
        details={"status": ApplicationStatus.NOT_NOW, "reason": reason},
        request=request,
    )
    from brobyg.volunteers import notifications

    message = message.strip()
    transaction.on_commit(
        lambda: notifications.send_not_now(application=application, message=message), robust=True
    )
    return application


def applications_waiting_too_long(*, now=None):
    """Open applications that entered their stage more than ``STAGE_REMINDER_DAYS`` local days
    ago and have not been reminded about since."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff = start_of_day(today - timedelta(days=STAGE_REMINDER_DAYS))
    return Application.objects.filter(
        status=ApplicationStatus.OPEN, stage_entered_at__lt=cutoff
    ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("stage_entered_at")))


@transaction.atomic
def applications_mark_reminded(*, ids, now=None) -> int:
    return Application.objects.filter(pk__in=list(ids)).update(reminded_at=now or timezone.now())


def rejected_applications(*, organisation, before):
    """Applications of ``organisation`` ended "not now" before the moment ``before``."""
    return Application.objects.filter(
        organisation=organisation, status=ApplicationStatus.NOT_NOW, closed_at__lt=before
    )


@transaction.atomic
def erase_rejected_applications(*, organisation, before) -> int:
    """Retention (the category ``volunteer_applications`` of ``rights.retention``): erase the
    organisation's applications ended "not now" before ``before``, with their history. Returns
    how many were erased."""
    expired = list(rejected_applications(organisation=organisation, before=before))
    for application in expired:
        log_action_on(
            application,
            action=Action.DELETE,
            subject=application,
            reason=gettext_noop("retention period of rejected volunteer applications"),
        )
        application.delete()
    return len(expired)
