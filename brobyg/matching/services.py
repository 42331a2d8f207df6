"""Every change in matching: peer profiles, wishes, weights, exclusions, proposals and answers.

A proposal takes one of the peer's places from the moment it is made. ``match_propose`` locks
the peer's row before counting, so two coordinators proposing at once can never push a peer over
capacity; batch approval goes through the same function.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on, save_and_log
from brobyg.intake import services as intake_services
from brobyg.intake.models import Status, SupportRequest
from brobyg.lib.changes import assign_changes
from brobyg.lib.links import new_link_token, token_digest
from brobyg.matching import notifications, selectors
from brobyg.matching.engine.features import DEFAULT_WEIGHTS
from brobyg.matching.explain import MUST_CHOICES, reason_text
from brobyg.matching.extensions import activation_steps
from brobyg.matching.models import (
    LIVE_STATUSES,
    PENDING_STATUSES,
    CitizenAnswerMethod,
    Exclusion,
    ExclusionSource,
    Match,
    MatchStatus,
    ProgrammeWeights,
    RequestWishes,
)
from brobyg.people.models import ExperienceArea, Peer
from brobyg.people.vocabulary import LANGUAGE_CODES
from brobyg.sms import selectors as sms_selectors

CITIZEN_LINK_DAYS = 30


@transaction.atomic
def weights_update(*, actor, programme, weights: dict, request=None) -> ProgrammeWeights:
    cleaned = {}
    for criterion in DEFAULT_WEIGHTS:
        value = weights.get(criterion, DEFAULT_WEIGHTS[criterion])
        if not isinstance(value, int) or not 0 <= value <= 10:
            raise ValidationError({criterion: _("Give a whole number from 0 to 10.")})
        cleaned[criterion] = value
    if not any(cleaned.values()):
        raise ValidationError(_("At least one criterion must count."))
    stored, _created = ProgrammeWeights.objects.get_or_create(
        programme=programme,
        defaults={"organisation": programme.organisation, "weights": {}, "updated_by": actor},
    )
    before = dict(stored.weights)
    stored.weights = cleaned
    stored.updated_by = actor
    stored.save()
    log_action_on(
        programme,
        action=Action.UPDATE,
        actor=actor,
        details={"matching_weights": {"before": before, "after": cleaned}},
        request=request,
    )
    return stored


@transaction.atomic
def wishes_update(*, actor, support_request, data: dict, request=None) -> RequestWishes:
    areas = list(data.get("experience_areas", []))
    language = data.get("language", "")
    musts = list(data.get("musts", []))
    errors = {}
    if any(code not in ExperienceArea.values for code in areas):
        errors["experience_areas"] = _("Choose from the list.")
    if language and language not in LANGUAGE_CODES:
        errors["language"] = _("Choose from the list.")
    if any(code not in dict(MUST_CHOICES) for code in musts):
        errors["musts"] = _("Choose from the list.")
    if "shared_experience" in musts and not areas:
        errors["musts"] = _("Choose the experiences to share before making them a must.")
    if "language" in musts and not (language or support_request.wish_language):
        errors["musts"] = _("Choose the language before making it a must.")
    if errors:
        raise ValidationError(errors)
    wishes, _created = RequestWishes.objects.get_or_create(
        support_request=support_request,
        defaults={"organisation": support_request.organisation, "updated_by": actor},
    )
    changed = assign_changes(
        wishes, {"experience_areas": areas, "language": language, "musts": musts}
    )
    wishes.updated_by = actor
    wishes.full_clean()
    wishes.save()
    if changed:
        log_action_on(
            support_request,
            action=Action.UPDATE,
            actor=actor,
            subject=support_request.citizen,
            details={"matching_wishes": sorted(changed)},
            request=request,
        )
    return wishes


def _exclude(*, actor, citizen, peer, source, reason="", request=None) -> Exclusion:
    exclusion, created = Exclusion.objects.get_or_create(
        citizen=citizen,
        peer=peer,
        defaults={
            "organisation": citizen.organisation,
            "source": source,
            "reason": reason.strip(),
            "created_by": actor,
        },
    )
    if created:
        exclusion.full_clean()
        log_action(
            action=Action.CREATE,
            actor=actor,
            organisation=citizen.organisation,
            target=exclusion,
            subject=citizen,
            details={"source": source, "peer": str(peer.public_id)},
            request=request,
        )
    return exclusion


def _exclude_pair(match: Match, *, actor, source, reason, request) -> Exclusion:
    """Never propose this match's citizen and peer to each other again."""
    return _exclude(
        actor=actor,
        citizen=match.citizen,
        peer=match.peer,
        source=source,
        reason=reason,
        request=request,
    )


def _log_match_change(match: Match, *, actor, details: dict, request) -> None:
    log_action_on(
        match,
        action=Action.UPDATE,
        actor=actor,
        subject=match.citizen,
        details=details,
        request=request,
    )


@transaction.atomic
def exclusion_add(*, actor, citizen, peer, reason: str = "", request=None) -> Exclusion:
    if peer.organisation_id != citizen.organisation_id:
        raise ValidationError({"peer": _("Choose a peer of this organisation.")})
    return _exclude(
        actor=actor,
        citizen=citizen,
        peer=peer,
        source=ExclusionSource.COORDINATOR,
        reason=reason,
        request=request,
    )


@transaction.atomic
def exclusion_remove(*, actor, exclusion: Exclusion, request=None) -> None:
    log_action_on(
        exclusion,
        action=Action.DELETE,
        actor=actor,
        subject=exclusion.citizen,
        details={"source": exclusion.source, "peer": str(exclusion.peer.public_id)},
        request=request,
    )
    exclusion.delete()


# A screened request is put on the waiting list by the proposal itself.
MATCHABLE_STATUSES = (Status.SCREENED, Status.WAITING)


@transaction.atomic
def match_propose(
    *, actor, support_request, peer: Peer, note: str = "", batch=None, request=None
) -> Match:
    """Propose ``peer`` for the request. Locks the peer (and the request) first, so the count
    of the peer's places and the request's one live match hold until commit. A screened request
    is put on the waiting list in the same step (logged as its own status change), so matching
    needs no separate step; all of it or nothing."""
    peer = Peer.objects.select_for_update().get(pk=peer.pk)
    support_request = (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("citizen", "programme", "organisation")
        .get(pk=support_request.pk)
    )
    if peer.organisation_id != support_request.organisation_id:
        raise ValidationError(_("Choose a peer of this organisation."))
    if support_request.status not in MATCHABLE_STATUSES:
        raise ValidationError(
            _("Only a screened request or one on the waiting list can be matched.")
        )
    if Match.objects.filter(support_request=support_request, status__in=LIVE_STATUSES).exists():
        raise ValidationError(_("This request already has a proposal or an active match."))
    if support_request.status == Status.SCREENED:
        intake_services.request_change_status(
            actor=actor, support_request=support_request, status=Status.WAITING, request=request
        )
    allowed, score, explanation, reason = selectors.pair_allowed(support_request, peer)
    if not allowed:
        raise ValidationError(reason_text(reason))
    match = Match(
        organisation=support_request.organisation,
        programme=support_request.programme,
        support_request=support_request,
        citizen=support_request.citizen,
        peer=peer,
        batch=batch,
        score=round(score, 1),
        explanation=explanation,
        note_to_peer=note.strip(),
        proposed_by=actor,
    )
    save_and_log(
        match,
        action=Action.CREATE,
        actor=actor,
        subject=match.citizen,
        details={"peer": str(peer.public_id), "score": match.score, "batch": bool(batch)},
        request=request,
    )
    transaction.on_commit(lambda: notifications.tell_peer_of_proposal(match))
    return match


def _lock(match: Match) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("citizen", "peer__user")
        .get(pk=match.pk)
    )


def _new_citizen_link(match: Match) -> str:
    token = new_link_token()
    match.token_digest = token_digest(token)
    match.link_expires_at = timezone.now() + timedelta(days=CITIZEN_LINK_DAYS)
    return token


@transaction.atomic
def match_peer_answer(
    *, actor, match: Match, accept: bool, reason: str = "", exclude: bool = False, request=None
) -> Match:
    """The peer's answer. On acceptance the citizen gets a personal link to answer by."""
    match = _lock(match)
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(_("This proposal has already been answered or withdrawn."))
    if match.peer.user_id != actor.pk:
        raise ValidationError(_("Only the proposed peer can answer."))
    match.peer_answered_at = timezone.now()
    token = None
    if accept:
        match.status = MatchStatus.PEER_ACCEPTED
        token = _new_citizen_link(match)
    else:
        match.status = MatchStatus.DECLINED_BY_PEER
        match.decline_reason = reason.strip()
    match.full_clean()
    match.save()
    if not accept and exclude:
        _exclude_pair(
            match, actor=actor, source=ExclusionSource.PEER, reason=reason, request=request
        )
    _log_match_change(
        match, actor=actor, details={"status": match.status, "exclude": exclude}, request=request
    )
    if token:
        transaction.on_commit(lambda: notifications.send_citizen_link(match, token))
    else:
        transaction.on_commit(lambda: notifications.tell_coordinators(match))
    return match


@transaction.atomic
def match_citizen_answer(
    *,
    match: Match,
    accept: bool,
    method: str,
    reason: str = "",
    exclude: bool = False,
    actor=None,
    request=None,
) -> Match:
    """The citizen's answer: through their link (``actor`` None) or recorded by a coordinator.
    Accepting makes the match active and the request matched."""
    match = _lock(match)
    if match.status != MatchStatus.PEER_ACCEPTED:
        raise ValidationError(_("This proposal is not waiting for the citizen's answer."))
    if method not in CitizenAnswerMethod.values:
        raise ValueError(f"Unknown answer method {method!r}")
    now = timezone.now()
    match.citizen_answered_at = now
    match.citizen_answer_method = method
    match.token_digest = None
    match.link_expires_at = None
    if accept:
        match.status = MatchStatus.ACTIVE
        match.activated_at = now
    else:
        match.status = MatchStatus.DECLINED_BY_CITIZEN
        match.decline_reason = reason.strip()
    match.full_clean()
    match.save()
    if accept:
        intake_services.request_change_status(
            actor=actor, support_request=match.support_request, status=Status.MATCHED
        )
        for step in activation_steps():
            step(actor=actor, match=match, request=request)
    elif exclude:
        _exclude_pair(
            match, actor=actor, source=ExclusionSource.CITIZEN, reason=reason, request=request
        )
    _log_match_change(
        match,
        actor=actor,
        details={"status": match.status, "method": method, "exclude": exclude},
        request=request,
    )
    transaction.on_commit(lambda: notifications.tell_coordinators(match))
    return match


@transaction.atomic
def match_send_citizen_link(*, actor, match: Match, request=None) -> str:
    """A new personal link for the citizen (the old one stops working), sent by e-mail, or by
    text to a citizen with only a phone number."""
    match = _lock(match)
    if match.status != MatchStatus.PEER_ACCEPTED:
        raise ValidationError(_("This proposal is not waiting for the citizen's answer."))
    if not sms_selectors.channels(match.citizen):
        raise ValidationError(
            _("The citizen has no e-mail address. Ask them by phone and record their answer.")
        )
    token = _new_citizen_link(match)
    match.save()
    _log_match_change(match, actor=actor, details={"citizen_link": "renewed"}, request=request)
    transaction.on_commit(lambda: notifications.send_citizen_link(match, token))
    return token


@transaction.atomic
def match_withdraw(*, actor, match: Match, reason: str = "", request=None) -> Match:
    match = _lock(match)
    if match.status not in PENDING_STATUSES:
        raise ValidationError(_("Only a proposal that is still waiting can be withdrawn."))
    match.status = MatchStatus.WITHDRAWN
    match.decline_reason = reason.strip()
    match.token_digest = None
    match.link_expires_at = None
    match.full_clean()
    match.save()
    _log_match_change(match, actor=actor, details={"status": match.status}, request=request)
    return match


@transaction.atomic
def match_end(
    *, actor, match: Match, reason: str, do_not_rematch: bool = False, request=None
) -> Match:
    """End an active match; 'do not re-match' keeps the two apart in every later proposal."""
    match = _lock(match)
    if match.status != MatchStatus.ACTIVE:
        raise ValidationError(_("Only an active match can be ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the match ends.")})
    match.status = MatchStatus.ENDED
    match.ended_at = timezone.now()
    match.end_reason = reason.strip()
    match.full_clean()
    match.save()
    if do_not_rematch:
        _exclude_pair(
            match, actor=actor, source=ExclusionSource.ENDED_MATCH, reason=reason, request=request
        )
    _log_match_change(
        match,
        actor=actor,
        details={"status": match.status, "do_not_rematch": do_not_rematch},
        request=request,
    )
    return match


def withdraw_pending_for_closed_request(*, actor, support_request, request=None) -> None:
    """intake's close step: a request closed without a match takes its pending proposal with
    it, so the peer's place is freed and the citizen's link stops working."""
    pending = Match.objects.filter(support_request=support_request, status__in=PENDING_STATUSES)
    for match in pending:
        match_withdraw(
            actor=actor,
            match=match,
            reason=_("The request was closed: %(status)s.")
            % {"status": support_request.get_status_display()},
            request=request,
        )


def move_for_merge(*, actor, keep, duplicate) -> dict:
    """people's merge step: the duplicate's matches and exclusions move to the kept record. An
    exclusion the kept record already has for the same peer is kept once."""
    matches = list(Match.objects.filter(citizen=duplicate).values_list("public_id", flat=True))
    Match.objects.filter(citizen=duplicate).update(citizen=keep)
    moved, merged = [], []
    for exclusion in Exclusion.objects.filter(citizen=duplicate):
        if Exclusion.objects.filter(citizen=keep, peer_id=exclusion.peer_id).exists():
            merged.append(str(exclusion.public_id))
            exclusion.delete()
        else:
            exclusion.citizen = keep
            exclusion.save(update_fields=["citizen"])
            moved.append(str(exclusion.public_id))
    return {
        "matches": [str(public_id) for public_id in matches],
        "exclusions": moved,
        "exclusions_already_on_kept_record": merged,
    }
