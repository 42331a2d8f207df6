"""Every change to schedules and invitations goes through here.

Answers and peer alerts are changed in ``services_answers.py``; definitions and text packs are
loaded in ``loading.py``; earlier data is imported in ``imports.py``.
"""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on
from brobyg.lib import crypto
from brobyg.lib.links import new_link_token, token_digest
from brobyg.outcomes import extensions, schedules, selectors
from brobyg.outcomes.models import (
    Invitation,
    Pseudonym,
    RespondentKind,
    Response,
    Schedule,
)
from brobyg.people import selectors as people_selectors
from brobyg.people.models import ConsentPurpose
from brobyg.sms import selectors as sms_selectors

# How long a questionnaire link works, unless its schedule says less.
LINK_VALID_DAYS = 30
# A reminder goes out this long after the invitation or the previous reminder, at most so often.
REMINDER_AFTER_DAYS = 7
MAX_REMINDERS = 2
# The timepoints a questionnaire can be asked at by hand (and imported at).
MANUAL_TIMEPOINTS = ("baseline", "followup_3m", "followup_6m", "end")


# Schedules


def _check_instrument_fits(*, organisation, instrument, respondent):
    if instrument.respondent != respondent:
        raise ValidationError(
            {"instrument": _("This questionnaire is not for the people this schedule asks.")}
        )
    if not instrument.is_current:
        raise ValidationError({"instrument": _("A newer version of this questionnaire exists.")})
    if not selectors.instrument_texts(instrument, organisation).available:
        raise ValidationError(
            {
                "instrument": _(
                    "The texts of this questionnaire are licensed: load your organisation's text "
                    "pack first."
                )
            }
        )


@transaction.atomic
def schedule_create(
    *, actor, programme, instrument, anchor_kind: str, timing: dict | None = None, request=None
) -> Schedule:
    provider = extensions.anchor(anchor_kind)
    if provider is None:
        raise ValidationError({"anchor_kind": _("Choose who answers and when from the list.")})
    _check_instrument_fits(
        organisation=programme.organisation, instrument=instrument, respondent=provider.respondent
    )
    timing = schedules.clean_timing(
        anchor_kind, provider.default_timing if timing is None else timing
    )
    if Schedule.objects.filter(
        programme=programme, instrument__code=instrument.code, anchor_kind=anchor_kind
    ).exists():
        raise ValidationError(_("The programme already has this schedule."))
    schedule = Schedule(
        organisation=programme.organisation,
        programme=programme,
        instrument=instrument,
        anchor_kind=anchor_kind,
        timing=timing,
        created_by=actor,
    )
    schedule.full_clean()
    schedule.save()
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=programme.organisation,
        target=schedule,
        details={
            "programme": str(programme.public_id),
            "instrument": f"{instrument.code} {instrument.version}",
            "anchor_kind": anchor_kind,
            "timing": timing,
        },
        request=request,
    )
    return schedule


# The recommended schedules of a programme: (instrument code, anchor kind).
DEFAULT_SCHEDULES = (
    ("brobyg-chime", "match"),
    ("peer-checkin", "peer"),
    ("staff-pulse", "staff"),
)


@transaction.atomic
def schedules_create_defaults(*, actor, programme, request=None) -> list[Schedule]:
    """Add the recommended schedules the programme does not have yet."""
    created = []
    for code, anchor_kind in DEFAULT_SCHEDULES:
        instrument = selectors.current_instrument(code)
        if instrument is None or extensions.anchor(anchor_kind) is None:
            continue
        if Schedule.objects.filter(
            programme=programme, instrument__code=code, anchor_kind=anchor_kind
        ).exists():
            continue
        created.append(
            schedule_create(
                actor=actor,
                programme=programme,
                instrument=instrument,
                anchor_kind=anchor_kind,
                request=request,
            )
        )
    return created


@transaction.atomic
def schedule_set_active(*, actor, schedule: Schedule, active: bool, request=None) -> Schedule:
    if schedule.is_active != active:
        schedule.is_active = active
        schedule.save(update_fields=["is_active"])
        log_action_on(
            schedule,
            action=Action.UPDATE,
            actor=actor,
            details={"is_active": active},
            request=request,
        )
    return schedule


# Invitations


def _language_for(*, citizen=None, user=None) -> str:
    """Danish unless a citizen's languages leave Danish out and include English."""
    languages = citizen.languages if citizen is not None else []
    return "en" if languages and "da" not in languages and "en" in languages else "da"


@transaction.atomic
def invitation_create(
    *,
    organisation,
    instrument,
    anchor_kind: str,
    anchor_id: str,
    timepoint: str,
    citizen=None,
    user=None,
    peer=None,
    participant=None,
    programme=None,
    schedule=None,
    expires_at=None,
    actor=None,
    send: bool = True,
    request=None,
) -> tuple[Invitation, str]:
    """Ask one person to answer ``instrument`` once. Returns the invitation and its link's
    token. With ``send``, the link is e-mailed (after commit) if the person has an address, or
    texted to a citizen with only a phone number.

    A group ``participant`` answers as themself: as their citizen record when they have one
    (consent from the citizen's history), otherwise as the participant (consent recorded on
    the participant when they joined)."""
    if participant is not None:
        if citizen is not None or user is not None:
            raise ValueError("A participant's invitation names the participant only.")
        citizen = participant.citizen
        if citizen is None and not participant.questionnaire_consent:
            raise ValidationError(
                _("The participant has not agreed to being asked to evaluate the course.")
            )
    elif (citizen is None) == (user is None):
        raise ValueError("An invitation is for a citizen or for a member of staff.")
    if citizen is not None and not people_selectors.has_consent(
        citizen, ConsentPurpose.QUESTIONNAIRES
    ):
        raise ValidationError(
            _("The citizen has not consented to being asked to answer questionnaires.")
        )
    respondent = instrument.respondent
    if participant is not None and respondent != RespondentKind.PARTICIPANT:
        raise ValidationError(_("This questionnaire is not for group participants."))
    for_citizens = respondent in (RespondentKind.CITIZEN, RespondentKind.PARTICIPANT)
    if citizen is not None and not for_citizens:
        raise ValidationError(_("This questionnaire is not for citizens."))
    if user is not None and respondent == RespondentKind.CITIZEN:
        raise ValidationError(_("This questionnaire is for citizens."))
    if not selectors.instrument_texts(instrument, organisation).available:
        raise ValidationError(
            _("The texts of this questionnaire are licensed: load your organisation's pack first.")
        )
    token = new_link_token()
    now = timezone.now()
    invitation = Invitation(
        organisation=organisation,
        programme=programme,
        schedule=schedule,
        instrument=instrument,
        respondent_kind=respondent,
        citizen=citizen,
        user=user,
        peer=peer,
        participant=participant,
        anchor_kind=anchor_kind,
        anchor_id=anchor_id,
        timepoint=timepoint,
        token_digest=token_digest(token),
        token_encrypted=crypto.encrypt(token),
        language=_language_for(citizen=citizen, user=user),
        created_by=actor,
        expires_at=expires_at or now + timedelta(days=LINK_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=invitation,
        subject=citizen or user or participant,
        details={
            "instrument": f"{instrument.code} {instrument.version}",
            "timepoint": timepoint,
            "anchor": anchor_kind,
        },
        request=request,
    )
    reachable = (
        bool(sms_selectors.channels(citizen))
        if participant is None and citizen is not None
        else bool((participant or user).email)
    )
    if send and reachable:
        from brobyg.outcomes import tasks

        transaction.on_commit(
            lambda: tasks.send_invitation.enqueue(invitation_id=invitation.pk), robust=True
        )
    return invitation, token


@transaction.atomic
def invitation_create_in_person(
    *, actor, citizen, instrument, timepoint: str, programme=None, request=None
) -> tuple[Invitation, str]:
    """A questionnaire asked by hand, e.g. to fill in together with the peer or on paper: the
    link is not e-mailed; the page that follows shows it with its QR code."""
    if timepoint not in MANUAL_TIMEPOINTS:
        raise ValidationError({"timepoint": _("Choose when this is from the list.")})
    if instrument.respondent != RespondentKind.CITIZEN or not instrument.is_current:
        raise ValidationError({"instrument": _("Choose a questionnaire for citizens.")})
    return invitation_create(
        organisation=citizen.organisation,
        instrument=instrument,
        anchor_kind="manual",
        anchor_id=uuid.uuid4().hex,
        timepoint=timepoint,
        citizen=citizen,
        programme=programme,
        actor=actor,
        send=False,
        request=request,
    )


def invitations_create_due(*, now=None, programme_id: int | None = None) -> int:
    """The periodic job: an invitation for every due occasion of every active schedule that
    has none yet (of one programme's schedules with ``programme_id``). Each invitation is its own
    transaction, so one fault stops nothing else."""
    from django_scopes import scope, scopes_disabled

    now = now or timezone.now()
    created = 0
    with scopes_disabled():
        schedules_ = Schedule.objects.filter(is_active=True, programme__is_active=True)
        if programme_id is not None:
            schedules_ = schedules_.filter(programme_id=programme_id)
        active = list(schedules_.select_related("organisation", "programme", "instrument"))
    for schedule in active:
        provider = extensions.anchor(schedule.anchor_kind)
        if provider is None or not schedule.organisation.is_active:
            continue
        with scope(organisation=schedule.organisation_id):
            instrument = selectors.current_instrument(schedule.instrument.code)
            if instrument is None:
                continue
            asked = set(
                Invitation.objects.filter(
                    organisation=schedule.organisation,
                    instrument__code=instrument.code,
                    anchor_kind=schedule.anchor_kind,
                ).values_list("anchor_id", "timepoint")
            )
            for occasion in provider.occasions(schedule, now):
                if (occasion.anchor_id, occasion.timepoint) in asked:
                    continue
                if occasion.citizen is not None and not people_selectors.has_consent(
                    occasion.citizen, ConsentPurpose.QUESTIONNAIRES
                ):
                    continue
                try:
                    invitation_create(
                        organisation=schedule.organisation,
                        instrument=instrument,
                        anchor_kind=schedule.anchor_kind,
                        anchor_id=occasion.anchor_id,
                        timepoint=occasion.timepoint,
                        citizen=occasion.citizen,
                        user=occasion.user,
                        peer=occasion.peer,
                        programme=schedule.programme,
                        schedule=schedule,
                        expires_at=occasion.expires_at,
                    )
                except (ValidationError, IntegrityError):
                    continue
                asked.add((occasion.anchor_id, occasion.timepoint))
                created += 1
    return created


def invitations_due_reminder(*, now=None):
    now = now or timezone.now()
    before = now - timedelta(days=REMINDER_AFTER_DAYS)
    return (
        Invitation.objects.filter(
            completed_at__isnull=True,
            expires_at__gt=now,
            sent_at__isnull=False,
            sent_at__lte=before,
            reminder_count__lt=MAX_REMINDERS,
        )
        .exclude(reminded_at__gt=before)
        .select_related("citizen", "user", "instrument", "organisation")
    )


@transaction.atomic
def invitation_mark_sent(*, invitation: Invitation, reminder: bool) -> Invitation:
    now = timezone.now()
    if reminder:
        invitation.reminded_at = now
        invitation.reminder_count += 1
        invitation.save(update_fields=["reminded_at", "reminder_count"])
    else:
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
    return invitation


# Merging two citizen records (registered with people.services in apps.py)


def outcomes_move_for_merge(*, actor, keep, duplicate) -> dict:
    """Invitations, responses and import pseudonyms move to the kept record. Open links of the
    duplicate stop working: a link can show its holder a chart of the citizen's answers, and
    after a merge those are the kept record's (see intake's merge step for why)."""
    organisation = keep.organisation_id
    now = timezone.now()
    invitations = Invitation.objects.filter(organisation=organisation, citizen=duplicate)
    invitations.filter(completed_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    moved = {
        "invitations": invitations.update(citizen=keep),
        "responses": Response.objects.filter(organisation=organisation, citizen=duplicate).update(
            citizen=keep
        ),
        "pseudonyms": Pseudonym.objects.filter(organisation=organisation, citizen=duplicate).update(
            citizen=keep
        ),
    }
    return moved


def on_match_activated(*, actor, match, request=None) -> None:
    """Matching's activation step: a course that starts is asked its due questionnaires (the
    baseline) at once, not at the next periodic run."""
    from brobyg.outcomes import tasks

    programme_id = match.programme_id
    transaction.on_commit(lambda: tasks.create_due_invitations_for_programme.enqueue(programme_id))
