"""Reads for matching: candidates with explanations, loads, proposals and batch runs."""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from brobyg.intake.models import Status, SupportRequest
from brobyg.lib.links import token_digest
from brobyg.lib.rows import choice_label_map, public_id_url
from brobyg.matching.engine import scoring
from brobyg.matching.engine.features import DEFAULT_WEIGHTS
from brobyg.matching.explain import caution_line, pair_explanation
from brobyg.matching.extensions import held_places_source, peer_cautions
from brobyg.matching.extract import peer_features, request_features, wish_view
from brobyg.matching.models import (
    LIVE_JOB_STATUSES,
    LIVE_STATUSES,
    PENDING_STATUSES,
    BatchJob,
    BatchRun,
    Exclusion,
    Match,
    MatchStatus,
    ProgrammeWeights,
    RequestWishes,
)
from brobyg.matching.request_peers import active_match_counts, programme_peers
from brobyg.orgs.choices import SupportType
from brobyg.orgs.models import Programme
from brobyg.orgs.permissions import visible_by_table
from brobyg.orgs.selectors import counts
from brobyg.people.models import Peer, PeerStatus

TOP_CANDIDATES = 5
# Points (of 100) a peer with a caution (asked for a break or a talk, a credential expired) loses:
# still proposable, but a peer without one who fits as well comes first.
CAUTION_PENALTY = 15.0
# Cautions are asked first for this many times the peers shown (see ``_with_cautions``).
CAUTIONS_FIRST_ASKED = 4


def programme_weights(programme) -> dict[str, int]:
    """The programme's weights, with defaults for any criterion it has not set (no query for a
    programme read with ``select_related("matching_weights")``)."""
    if Programme.matching_weights.is_cached(programme):
        stored = getattr(programme, "matching_weights", None)
    else:
        stored = ProgrammeWeights.objects.filter(programme=programme).first()
    weights = dict(DEFAULT_WEIGHTS)
    if stored is not None:
        weights.update({k: v for k, v in stored.weights.items() if k in DEFAULT_WEIGHTS})
    return weights


def pending_counts(peer_ids) -> dict[int, int]:
    """Proposals waiting for the peer's or the citizen's answer, per peer."""
    rows = (
        Match.objects.filter(peer_id__in=list(peer_ids), status__in=PENDING_STATUSES)
        .values("peer_id")
        .annotate(n=Count("pk"))
    )
    return {row["peer_id"]: row["n"] for row in rows}


def live_counts(organisation, peer_ids) -> dict[int, int]:
    """How many places each peer (of ``organisation``, an instance or its id) has taken:
    proposals waiting for an answer and the citizens the peer supports."""
    peer_ids = list(peer_ids)
    counts = pending_counts(peer_ids)
    for peer_id, held in held_places_source(active_match_counts)(organisation, peer_ids).items():
        counts[peer_id] = counts.get(peer_id, 0) + held
    return counts


def peers_of_organisation(organisation, *, programme=None, status=""):
    peers = Peer.objects.filter(organisation=organisation).select_related("user")
    if programme is not None:
        peers = peers.filter(programmes=programme)
    if status:
        peers = peers.filter(status=status)
    return peers.only(*LISTED_PEER_FIELDS).order_by("user__full_name", "pk")


# What the peer list shows: only these columns are read, so a page of peers does not decode every
# peer's lived experience, wishes and availability (nine JSON columns).
LISTED_PEER_FIELDS = (
    "public_id",
    "kind",
    "status",
    "capacity",
    "user",
    "user__public_id",
    "user__full_name",
)


def peer_rows(organisation, peers) -> list[dict]:
    """Peers with their load and what the list shows of them, each label and link built once per
    page: ``kind`` and ``status`` labelled, ``load`` ("2 of 3"), ``url`` of the profile and the
    ``programmes``' names."""
    peers = list(peers)
    counts = live_counts(organisation, (peer.pk for peer in peers))
    programmes: dict[int, list[str]] = {}
    for peer_id, name in (
        Peer.programmes.through.objects.filter(peer__in=peers)
        .order_by("programme__name", "programme_id")
        .values_list("peer_id", "programme__name")
    ):
        programmes.setdefault(peer_id, []).append(name)
    kinds = choice_label_map(SupportType)
    statuses = choice_label_map(PeerStatus)
    load = _("%(live)s of %(capacity)s")
    detail_url = public_id_url("matching_peer_detail")
    rows = []
    for peer in peers:
        live = counts.get(peer.pk, 0)
        rows.append(
            {
                "peer": peer,
                "live": live,
                "kind": kinds.get(peer.kind, peer.kind),
                "status": statuses.get(peer.status, peer.status),
                "load": load % {"live": live, "capacity": peer.capacity},
                "url": detail_url(peer.public_id),
                "programmes": ", ".join(programmes.get(peer.pk, ())),
            }
        )
    return rows


def wishes_of(support_request) -> RequestWishes | None:
    return RequestWishes.objects.filter(support_request=support_request).first()


def exclusions_of_citizen(citizen):
    return Exclusion.objects.filter(citizen=citizen).select_related("peer__user", "created_by")


def matches_of_request(support_request):
    return (
        Match.objects.filter(support_request=support_request)
        .select_related("peer__user", "proposed_by")
        .order_by("-proposed_at", "-pk")
    )


def matches_of_peer(peer):
    return (
        Match.objects.filter(peer=peer)
        .select_related("citizen", "programme")
        .order_by("-proposed_at", "-pk")
    )


def matches_visible_to(membership):
    """``view_all_matches``: every match of the organisation; ``view_own_matches``: the matches
    proposing the member as peer."""
    return visible_by_table(
        Match.objects.filter(organisation=membership.organisation),
        membership,
        "view_all_matches",
        "view_own_matches",
        lambda matches: matches.filter(peer__user=membership.user),
    )


def match_for_page(queryset):
    return queryset.select_related(
        "citizen", "peer__user", "programme", "support_request", "proposed_by"
    )


def matches_awaiting_answer(organisation):
    return (
        Match.objects.filter(organisation=organisation, status__in=PENDING_STATUSES)
        .select_related("citizen", "peer__user", "programme")
        .order_by("proposed_at", "pk")
    )


def match_by_link_token(token: str) -> Match | None:
    """The match a citizen's personal link points at, whatever its state (the view decides)."""
    with scopes_disabled():
        match = (
            Match.objects.filter(token_digest=token_digest(token))
            .select_related("organisation", "programme", "peer__user", "citizen")
            .first()
        )
    return match


MATCHING_FIGURES = ("proposed", "peer_accepted", "active", "waiting", "active_peers")


def matching_figure_sets(organisation) -> dict:
    """What the matching figures count: matches by status, requests waiting without a live
    match, active peers."""
    matches = Match.objects.filter(organisation=organisation)
    return {
        "proposed": matches.filter(status=MatchStatus.PROPOSED),
        "peer_accepted": matches.filter(status=MatchStatus.PEER_ACCEPTED),
        "active": matches.filter(status=MatchStatus.ACTIVE),
        "waiting": matchable_requests(organisation),
        "active_peers": Peer.objects.filter(organisation=organisation, status=PeerStatus.ACTIVE),
    }


def matching_figures(organisation) -> dict:
    """The figures, counted by the database in one query."""
    return counts(organisation, **matching_figure_sets(organisation))


def matchable_requests(organisation, programmes=None):
    """Waiting requests without a live match: what 'match the waiting list' works on."""
    requests = SupportRequest.objects.filter(
        organisation=organisation, status=Status.WAITING
    ).exclude(matches__status__in=LIVE_STATUSES)
    if programmes is not None:
        requests = requests.filter(programme__in=programmes)
    return requests


def batch_runs(organisation):
    return BatchRun.objects.filter(organisation=organisation).select_related("created_by")


def batch_jobs(organisation):
    """The organisation's started runs, with the run each one made."""
    return BatchJob.objects.filter(organisation=organisation).select_related("created_by", "run")


def live_batch_job(organisation):
    """The run being made in the background now, if one is."""
    return (
        BatchJob.objects.filter(organisation=organisation, status__in=LIVE_JOB_STATUSES)
        .only("public_id", "status", "created_at")
        .first()
    )


@dataclass
class Candidate:
    peer: Peer
    score: float
    explanation: list
    live: int


@dataclass
class CandidateList:
    candidates: list = field(default_factory=list)
    allowed_count: int = 0
    reason: dict | None = None


_UNREAD = object()


def candidates_for_request(
    support_request, *, limit: int | None = TOP_CANDIDATES, wishes=_UNREAD
) -> CandidateList:
    """The best peers for one request, each with its explanation; or why nobody fits.

    The active peers of the programme come from the database as the engine's features of this
    request (``request_peers``); only the peers shown are loaded as profiles, and peer-care
    cautions are asked best first until no other peer can reach the first ``limit``
    (``_with_cautions``). ``wishes`` is the request's ``RequestWishes`` (or None) when the
    caller has read them already."""
    if wishes is _UNREAD:
        wishes = wishes_of(support_request)
    view = wish_view(support_request, wishes)
    found = programme_peers(support_request, view)
    if not found.ids:
        return CandidateList(reason={"code": "no_active_peers"})
    requests = request_features([view], {support_request.programme_id: 0})
    excluded = np.flatnonzero(found.excluded)
    exclusions = np.stack([np.zeros_like(excluded), excluded], axis=1)
    weights = programme_weights(support_request.programme)
    scores, allowed = scoring.score_matrix(requests, found.features, weights, exclusions)
    allowed_peers = np.flatnonzero(allowed[0])
    if allowed_peers.size == 0:
        masks = scoring.constraint_masks(requests, found.features, exclusions)
        return CandidateList(reason=_first_failing(masks, view, found.ids))
    scores, cautions = _with_cautions(
        support_request.organisation, found.ids, allowed_peers, scores[0], limit
    )
    order = allowed_peers[np.argsort(-scores[allowed_peers], kind="stable")]
    if limit is not None:
        order = order[:limit]
    shown = Peer.objects.select_related("user").in_bulk([found.ids[j] for j in order])
    applicable, similarity = scoring.components(requests, found.features.take(order))
    weight_vector = scoring.weights_vector(weights)
    candidates = []
    for k, j in enumerate(order):
        peer, live = shown[found.ids[j]], found.live.get(found.ids[j], 0)
        explanation = pair_explanation(
            view, peer, live, applicable[0], similarity[0, k], weight_vector
        )
        candidates.append(
            Candidate(
                peer=peer,
                score=float(scores[j]),
                explanation=_with_caution(explanation, cautions.get(peer.pk)),
                live=live,
            )
        )
    return CandidateList(candidates=candidates, allowed_count=int(allowed_peers.size))


def _with_cautions(organisation, ids, allowed_peers, raw, limit):
    """The scores (one per peer) less CAUTION_PENALTY for each cautioned peer, and the cautions
    found: ``{peer id: codes}``.

    Cautions are asked for the allowed peers in the order of their scores without them, first
    for the best ``CAUTIONS_FIRST_ASKED`` times ``limit``, then twice as many, until no peer not
    yet asked can reach the first ``limit`` (a caution only lowers a score, so a peer not asked
    ranks at best where its score without one puts it); every one with ``limit`` None."""
    scores = raw.copy()
    cautions: dict[int, list[str]] = {}
    if limit == 0:
        return scores, cautions
    by_raw = allowed_peers[np.argsort(-raw[allowed_peers], kind="stable")]
    asked = 0
    while asked < by_raw.size:
        if limit is None:
            until = by_raw.size
        else:
            until = min(by_raw.size, max(2 * asked, CAUTIONS_FIRST_ASKED * limit))
        batch = by_raw[asked:until]
        found = peer_cautions(organisation, [ids[j] for j in batch])
        cautions.update(found)
        for j in batch:
            if found.get(ids[j]):
                scores[j] -= CAUTION_PENALTY
        asked = until
        if asked == by_raw.size:
            break
        known = by_raw[:asked]
        # The limit-th of the peers asked, ranked as the page ranks: by score, then by position.
        last = known[np.lexsort((known, -scores[known]))][limit - 1]
        following = by_raw[asked]
        if (-scores[last], last) < (-raw[following], following):
            break
    return scores, cautions


def _with_caution(explanation: list[dict], codes) -> list[dict]:
    return [caution_line(codes, CAUTION_PENALTY), *explanation] if codes else explanation


def _first_failing(masks: dict, view, peers) -> dict:
    """Apply the hard constraints one at a time and name the one that leaves nobody."""
    remaining = np.ones(len(peers), dtype=bool)
    for name, mask in masks.items():
        before = int(remaining.sum())
        remaining &= mask[0]
        if not remaining.any():
            reason = {"code": name, "count": before}
            if name == "age":
                reason["age"] = view.age
            if name == "must_language":
                reason["language"] = view.language
            return reason
    return {"code": "unknown"}


def pair_allowed(support_request, peer) -> tuple[bool, float, list, dict | None]:
    """Whether ``peer`` may be proposed for ``support_request`` now, with score and
    explanation; the one check every proposal passes, whichever page it comes from."""
    if not peer.is_matchable:
        return False, 0.0, [], {"code": "peer_not_active"}
    view = wish_view(support_request, wishes_of(support_request))
    programme_index = {support_request.programme_id: 0}
    counts = live_counts(support_request.organisation_id, [peer.pk])
    requests = request_features([view], programme_index)
    peer_arrays = peer_features([peer], programme_index, counts)
    excluded = Exclusion.objects.filter(citizen=support_request.citizen, peer=peer).exists()
    exclusions = np.array([(0, 0)] if excluded else [], dtype=np.int64).reshape(-1, 2)
    weights = programme_weights(support_request.programme)
    scores, allowed = scoring.score_matrix(requests, peer_arrays, weights, exclusions)
    if not allowed[0, 0]:
        masks = scoring.constraint_masks(requests, peer_arrays, exclusions)
        return False, 0.0, [], _first_failing(masks, view, [peer])
    applicable, similarity = scoring.components(requests, peer_arrays)
    explanation = pair_explanation(
        view,
        peer,
        counts.get(peer.pk, 0),
        applicable[0],
        similarity[0, 0],
        scoring.weights_vector(weights),
    )
    codes = peer_cautions(support_request.organisation, [peer.pk]).get(peer.pk)
    score = float(scores[0, 0]) - (CAUTION_PENALTY if codes else 0.0)
    return True, score, _with_caution(explanation, codes), None
