"""'Match the waiting list': one optimal assignment over one or more programmes, for review.

Nothing is proposed to anyone until a coordinator approves; approval goes through
``services.match_propose`` one pair at a time, so every hard constraint and the peer's capacity
are checked again under a row lock at that moment.
"""

import logging
import time

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on
from brobyg.matching import selectors, services
from brobyg.matching.engine import assignment, scoring
from brobyg.matching.explain import pair_explanation
from brobyg.matching.extract import peer_features, request_features, wish_view
from brobyg.matching.models import (
    LIVE_JOB_STATUSES,
    BatchJob,
    BatchJobStatus,
    BatchProposal,
    BatchRun,
    BatchStatus,
    BatchStep,
    Decision,
    Exclusion,
    RequestWishes,
)
from brobyg.orgs.models import Organisation
from brobyg.people.models import Peer, PeerStatus

logger = logging.getLogger(__name__)


def _gather(organisation, programmes):
    requests = list(
        selectors.matchable_requests(organisation, programmes)
        .select_related("citizen", "programme")
        .order_by("created_at", "pk")
    )
    wishes = {
        w.support_request_id: w
        for w in RequestWishes.objects.filter(support_request__in=[r.pk for r in requests])
    }
    peers = list(
        Peer.objects.filter(
            organisation=organisation, status=PeerStatus.ACTIVE, programmes__in=programmes
        )
        .distinct()
        .select_related("user")
        .prefetch_related("programmes")
        .order_by("pk")
    )
    return requests, wishes, peers


def _exclusions(requests, peers) -> np.ndarray:
    peer_index = {peer.pk: j for j, peer in enumerate(peers)}
    requests_of_citizen = {}
    for i, support_request in enumerate(requests):
        requests_of_citizen.setdefault(support_request.citizen_id, []).append(i)
    pairs = Exclusion.objects.filter(citizen_id__in=list(requests_of_citizen)).values_list(
        "citizen_id", "peer_id"
    )
    rows = [
        (i, peer_index[peer_id])
        for citizen_id, peer_id in pairs
        if peer_id in peer_index
        for i in requests_of_citizen[citizen_id]
    ]
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


# How often (in requests) the explaining phase reports its progress.
PROGRESS_EVERY = 200


def _no_progress(step, **counts):
    pass


def _compute(organisation, programmes, progress):
    """The run's reads and the engine, outside any transaction so that the progress written
    meanwhile is seen by the status page; nothing is written here."""
    started = time.perf_counter()
    progress(BatchStep.GATHERING)
    requests, wishes, peers = _gather(organisation, programmes)
    progress(BatchStep.ASSIGNING, requests_count=len(requests), peers_count=len(peers))
    programme_index = {programme.pk: i for i, programme in enumerate(programmes)}
    counts = selectors.live_counts(organisation, (peer.pk for peer in peers))
    views = [wish_view(r, wishes.get(r.pk)) for r in requests]
    request_arrays = request_features(views, programme_index)
    peer_arrays = peer_features(peers, programme_index, counts)
    exclusions = _exclusions(requests, peers)
    weights = {i: selectors.programme_weights(p) for i, p in enumerate(programmes)}
    best, greedy = assignment.assign(request_arrays, peer_arrays, weights, exclusions)
    capacities = peer_arrays.capacity.astype(np.int64)
    progress(BatchStep.EXPLAINING)
    proposals = []
    for i, support_request in enumerate(requests):
        j = int(best.peer_of_request[i])
        proposal = BatchProposal(organisation=organisation, support_request=support_request)
        if j >= 0:
            programme = support_request.programme
            weight_vector = scoring.weights_vector(weights[programme_index[programme.pk]])
            one_request = request_arrays.take(np.array([i]))
            one_peer = peer_arrays.take(np.array([j]))
            applicable, similarity = scoring.components(one_request, one_peer)
            scores, _allowed = scoring.score_matrix(
                one_request, one_peer, weights[programme_index[programme.pk]]
            )
            proposal.peer = peers[j]
            proposal.score = round(float(scores[0, 0]), 1)
            proposal.explanation = pair_explanation(
                views[i],
                peers[j],
                counts.get(peers[j].pk, 0),
                applicable[0],
                similarity[0, 0],
                weight_vector,
            )
        else:
            # Nobody fits at all (and why), or those who fit went to others in this run.
            proposal.unmatched_reason = selectors.candidates_for_request(
                support_request, limit=0
            ).reason or {"code": "taken_in_run"}
        proposals.append(proposal)
        if (i + 1) % PROGRESS_EVERY == 0:
            progress(BatchStep.EXPLAINING, explained_count=i + 1)
    progress(BatchStep.SAVING, explained_count=len(requests))
    return {
        "requests": requests,
        "peers": peers,
        "proposals": proposals,
        "places": int(capacities.sum()),
        "best": best,
        "greedy": greedy,
        "seconds": time.perf_counter() - started,
    }


@transaction.atomic
def _save(*, actor, organisation, programmes, computed, request=None) -> BatchRun:
    best, greedy = computed["best"], computed["greedy"]
    batch = BatchRun.objects.create(
        organisation=organisation,
        created_by=actor,
        requests_count=len(computed["requests"]),
        peers_count=len(computed["peers"]),
        places_count=computed["places"],
        matched_count=int(best.matched),
        total_score=round(float(best.score), 1),
        greedy_matched_count=int(greedy.matched),
        greedy_total_score=round(float(greedy.score), 1),
        seconds=round(computed["seconds"], 3),
    )
    batch.programmes.set(programmes)
    for proposal in computed["proposals"]:
        proposal.batch = batch
    BatchProposal.objects.bulk_create(computed["proposals"])
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=batch,
        details={
            "programmes": [str(p.public_id) for p in programmes],
            "requests": len(computed["requests"]),
            "matched": int(best.matched),
        },
        request=request,
    )
    return batch


def _checked_programmes(programmes):
    programmes = sorted(programmes, key=lambda programme: programme.pk)
    if not programmes:
        raise ValidationError({"programmes": _("Choose at least one programme.")})
    return programmes


def batch_run(*, actor, organisation, programmes, request=None) -> BatchRun:
    """One run at once, in this process (the demo, tests, benchmarks); coordinators start
    runs with ``batch_queue``, which the background worker runs through ``batch_job_run``."""
    programmes = _checked_programmes(programmes)
    computed = _compute(organisation, programmes, _no_progress)
    return _save(
        actor=actor,
        organisation=organisation,
        programmes=programmes,
        computed=computed,
        request=request,
    )


@transaction.atomic
def batch_queue(*, actor, organisation, programmes, request=None) -> BatchJob:
    """Start 'match the waiting list' in the background worker (``tasks.run_batch``). One run
    at a time per organisation: a second start while one waits or runs is refused."""
    from brobyg.matching.tasks import run_batch

    programmes = _checked_programmes(programmes)
    # Starts in one organisation wait for each other here, so two cannot both pass the check.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    if BatchJob.objects.filter(organisation=organisation, status__in=LIVE_JOB_STATUSES).exists():
        raise ValidationError(
            _(
                "The waiting list is already being matched. Wait until that run has finished,"
                " then start a new one if you need to."
            )
        )
    job = BatchJob.objects.create(
        organisation=organisation,
        created_by=actor,
        language=translation.get_language() or "da",
    )
    job.programmes.set(programmes)
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=job,
        reason=gettext_noop("batch matching started"),
        details={"programmes": [str(p.public_id) for p in programmes]},
        request=request,
    )
    run_batch.enqueue(str(job.public_id))
    return job


def batch_job_run(*, job: BatchJob) -> dict:
    """The background worker's part: run the engine over the job's waiting lists, writing its
    progress as it goes, and save the run for review in one transaction with the job's end. A
    failure saves no proposal and tells the coordinator calmly; the log gets no data."""
    jobs = BatchJob.objects.filter(pk=job.pk)
    jobs.update(
        status=BatchJobStatus.RUNNING,
        step=BatchStep.GATHERING,
        started_at=timezone.now(),
        explained_count=0,
    )

    def progress(step, **counts):
        jobs.update(step=step, **counts)

    try:
        programmes = _checked_programmes(job.programmes.all())
        computed = _compute(job.organisation, programmes, progress)
        with transaction.atomic():
            run = _save(
                actor=job.created_by,
                organisation=job.organisation,
                programmes=programmes,
                computed=computed,
            )
            jobs.update(
                status=BatchJobStatus.DONE,
                step=BatchStep.FINISHED,
                run=run,
                finished_at=timezone.now(),
            )
        return {"run": str(run.public_id)}
    except ValidationError as error:
        problem = " ".join(error.messages)
    except Exception:
        # Only the job's id: an error's message may quote a citizen's data.
        logger.error("A batch matching run failed unexpectedly (%s).", job.public_id)
        problem = _(
            "Something went wrong, so no proposals were made and nothing was sent to anyone."
            " Try again in a little while, or ask for help if it happens again."
        )
    jobs.update(status=BatchJobStatus.FAILED, problem=problem[:300], finished_at=timezone.now())
    return {"problem": problem}


@transaction.atomic
def batch_approve(*, actor, batch: BatchRun, proposal_ids, request=None) -> dict:
    """Propose the chosen pairs; the rest are marked not approved. A pair that no longer holds
    (the peer paused or filled up, the request was matched meanwhile) is skipped with the
    reason, and the others still go through."""
    batch = BatchRun.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.AWAITING_REVIEW:
        raise ValidationError(_("This run has already been decided."))
    chosen = {int(pk) for pk in proposal_ids}
    approved, skipped = 0, []
    pending = batch.proposals.filter(decision=Decision.PENDING).select_related(
        "support_request__citizen", "support_request__programme", "peer__user"
    )
    for proposal in pending:
        if proposal.pk not in chosen or proposal.peer is None:
            proposal.decision = Decision.SKIPPED
            proposal.save(update_fields=["decision"])
            continue
        try:
            with transaction.atomic():
                match = services.match_propose(
                    actor=actor,
                    support_request=proposal.support_request,
                    peer=proposal.peer,
                    batch=batch,
                    request=request,
                )
        except ValidationError as error:
            proposal.decision = Decision.SKIPPED
            proposal.decision_note = " ".join(error.messages)[:300]
            skipped.append(proposal)
        else:
            proposal.decision = Decision.APPROVED
            proposal.match = match
            approved += 1
        proposal.save(update_fields=["decision", "decision_note", "match"])
    batch.status = BatchStatus.DECIDED
    batch.decided_by = actor
    batch.decided_at = timezone.now()
    batch.save(update_fields=["status", "decided_by", "decided_at"])
    log_action_on(
        batch,
        action=Action.UPDATE,
        actor=actor,
        details={"approved": approved, "skipped_on_approval": len(skipped)},
        request=request,
    )
    return {"approved": approved, "skipped": skipped}
