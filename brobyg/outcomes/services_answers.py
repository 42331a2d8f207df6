"""Answering: saving answers as they are given, sending them (scored), and what follows from a
peer's check-in: sharing it with the supervisors, and the alert that a talk could help."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on
from brobyg.orgs.extensions import announce
from brobyg.outcomes import selectors
from brobyg.outcomes.definitions import TOTAL
from brobyg.outcomes.models import (
    AlertReason,
    Invitation,
    Mode,
    PeerAlert,
    RespondentKind,
    Response,
    Score,
)
from brobyg.outcomes.scoring import check_answer, score


def _subject(respondent):
    if respondent.citizen_id:
        return respondent.citizen
    return respondent.user if respondent.user_id else respondent.participant


def _response_for(invitation: Invitation) -> tuple[Response, bool]:
    existing = Response.objects.filter(invitation=invitation).first()
    if existing is not None:
        return existing, False
    return Response(
        organisation=invitation.organisation,
        invitation=invitation,
        instrument=invitation.instrument,
        programme=invitation.programme,
        respondent_kind=invitation.respondent_kind,
        citizen=invitation.citizen,
        user=invitation.user,
        peer=invitation.peer,
        participant=invitation.participant,
        timepoint=invitation.timepoint,
    ), True


def _check_open(invitation: Invitation) -> None:
    if invitation.is_completed:
        raise ValidationError(_("This questionnaire has already been answered."))
    if invitation.is_expired:
        raise ValidationError(_("The link to this questionnaire has expired."))


@transaction.atomic
def response_save(
    *,
    invitation: Invitation,
    answers: dict,
    step: int = 0,
    language: str = "da",
    request=None,
) -> Response:
    """Save answers given so far (save and continue). ``answers`` maps item ids to a value, or
    to None for a question left unanswered; earlier answers to other items are kept."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation)
    spec = invitation.instrument.spec
    response, created = _response_for(invitation)
    scale_answers, text_answers = dict(response.answers), dict(response.text_answers)
    errors = {}
    for item_id, value in answers.items():
        item = spec.item(item_id)
        if item is None:
            raise ValueError(f"Unknown item {item_id!r}.")
        target = text_answers if item.kind == "text" else scale_answers
        if value is None or value == "":
            target.pop(item_id, None)
            continue
        try:
            target[item_id] = check_answer(spec, item_id, value)
        except ValueError:
            errors[item_id] = _("Choose one of the answers, or leave the question unanswered.")
    if errors:
        raise ValidationError(errors)
    response.answers = scale_answers
    response.text_answers = {key: value for key, value in text_answers.items() if value}
    response.current_step = max(0, step)
    response.language = language
    response.full_clean()
    response.save()
    log_action(
        action=Action.CREATE if created else Action.UPDATE,
        organisation=invitation.organisation,
        target=response,
        subject=_subject(response),
        reason=gettext_noop("questionnaire link"),
        details={"items": sorted(answers)},
        request=request,
    )
    return response


def _store_scores(response: Response, conversion_table: dict) -> dict:
    results = score(response.instrument.spec, response.answers, conversion_table=conversion_table)
    Score.objects.filter(response=response).delete()
    Score.objects.bulk_create(Score.for_response(response, results))
    return results


def _alert_reasons(response: Response) -> list[str]:
    alert = response.instrument.spec.alert
    if not alert:
        return []
    reasons = []
    flag = alert.get("flag_item")
    if flag and response.answers.get(flag) in alert.get("flag_values", [1]):
        reasons.append(AlertReason.ASKED)
    drop = alert.get("drop")
    if drop and response.total is not None:
        previous = selectors.previous_checkin(response)
        if previous is not None and previous.total - response.total > drop:
            reasons.append(AlertReason.DROP)
    return reasons


@transaction.atomic
def response_complete(
    *,
    invitation: Invitation,
    mode: str = Mode.SELF,
    citizen_sees_chart: bool = False,
    shared_with_supervisor: bool = False,
    request=None,
) -> Response:
    """Send the answers: the response is scored, the link is used up, and a peer's check-in
    that shows a clear drop or asks for a talk tells the supervisors and coordinators."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation)
    if mode not in (Mode.SELF, Mode.ASSISTED, Mode.PAPER):
        raise ValidationError({"mode": _("Choose how the questionnaire was filled in.")})
    response, _created = _response_for(invitation)
    if response.pk is None:
        response.save()
    now = timezone.now()
    texts = selectors.instrument_texts(invitation.instrument, invitation.organisation)
    results = _store_scores(response, texts.conversion_table)
    response.total = results[TOTAL].value
    response.mode = mode
    response.completed_at = now
    response.answered_on = timezone.localdate(now)
    response.citizen_sees_chart = bool(citizen_sees_chart) and response.citizen_id is not None
    response.shared_with_supervisor = (
        bool(shared_with_supervisor) and response.respondent_kind == RespondentKind.PEER
    )
    response.full_clean()
    response.save()
    invitation.completed_at = now
    invitation.save(update_fields=["completed_at"])
    log_action(
        action=Action.UPDATE,
        organisation=invitation.organisation,
        target=response,
        subject=_subject(response),
        reason=gettext_noop("questionnaire link"),
        details={"completed": True, "mode": mode, "answered": len(response.answers)},
        request=request,
    )
    if response.respondent_kind == RespondentKind.CITIZEN:
        announce(
            "questionnaire.answered",
            response,
            organisation=response.organisation,
            ids={"response": response.public_id, "citizen": response.citizen.public_id},
        )
    reasons = _alert_reasons(response)
    if reasons:
        alert = PeerAlert.objects.create(
            organisation=response.organisation,
            user=response.user,
            peer=response.peer,
            response=response,
            reasons=reasons,
        )
        log_action(
            action=Action.CREATE,
            organisation=response.organisation,
            target=alert,
            subject=response.user,
            details={"reasons": reasons},
            request=request,
        )
        from brobyg.outcomes import tasks

        transaction.on_commit(
            lambda: tasks.notify_peer_alert.enqueue(alert_id=alert.pk), robust=True
        )
    return response


@transaction.atomic
def checkin_set_shared(*, actor, response: Response, shared: bool, request=None) -> Response:
    """A peer shares one of their own check-ins with their supervisors, or stops sharing it."""
    if response.user_id != actor.pk or response.respondent_kind != RespondentKind.PEER:
        raise ValidationError(_("Only the peer who answered can share a check-in."))
    if response.shared_with_supervisor != shared:
        response.shared_with_supervisor = shared
        response.save(update_fields=["shared_with_supervisor"])
        log_action_on(
            response,
            action=Action.UPDATE,
            actor=actor,
            subject=actor,
            details={"shared_with_supervisor": shared},
            request=request,
        )
    return response


@transaction.atomic
def alert_mark_handled(*, actor, alert: PeerAlert, request=None) -> PeerAlert:
    if alert.handled_at is None:
        alert.handled_at = timezone.now()
        alert.handled_by = actor
        alert.save(update_fields=["handled_at", "handled_by"])
        log_action_on(
            alert,
            action=Action.UPDATE,
            actor=actor,
            subject=alert.user,
            details={"handled": True},
            request=request,
        )
    return alert
