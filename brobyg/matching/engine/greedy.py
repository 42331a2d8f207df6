"""The greedy assignment: on candidate pairs, or over all allowed pairs without holding them."""

from __future__ import annotations

import itertools

import numpy as np

from .blocks import Batch, block_candidates
from .features import PeerFeatures, RequestFeatures
from .pairs import (
    APPROXIMATION,
    DEFAULT_PER_PEER_SLOT,
    DEFAULT_PER_REQUEST,
    Assignment,
    Candidates,
    check_inputs,
    concat_found,
    grow_per_request,
    make_assignment,
    new_pairs,
    scores_of,
)


def greedy(candidates: Candidates, capacities, n_requests: int) -> Assignment:
    """Greedy assignment: pairs by descending score (ties: lower request, then lower peer
    index first), each taken if its request is free and its peer has room."""
    capacities, candidates = check_inputs(candidates, capacities, n_requests)
    peer_of_request = np.full(n_requests, -1, dtype=np.int64)
    match_score = np.zeros(n_requests, dtype=np.float64)
    if len(candidates) == 0:
        return make_assignment(peer_of_request, match_score)
    order = np.argsort(-candidates.score, kind="stable")  # then by (request, peer): sorted
    request = candidates.request[order].astype(np.int64)
    peer = candidates.peer[order].astype(np.int64)
    score = candidates.score[order]
    room = capacities.copy()
    _greedy_rounds(request, peer, score, room, peer_of_request, match_score)
    return make_assignment(peer_of_request, match_score)


def _greedy_rounds(request, peer, score, room, peer_of_request, match_score) -> None:
    """Sequential greedy over edges already in greedy order, computed in parallel rounds.

    Each round takes every *locally dominant* edge: its request's best remaining edge that is
    also among the first ``room`` remaining edges of its peer. The sequential greedy takes
    every such edge too (nothing earlier can block it), and removing them leaves the same
    problem for the rest, so the result is exactly the sequential greedy's. When rounds stop
    paying off the rest runs sequentially.
    """
    alive = (room[peer] > 0).nonzero()[0]  # edge positions (global order), still usable
    by_peer = alive[np.argsort(peer[alive], kind="stable")]  # grouped by peer, in order
    first = np.empty(peer_of_request.size, dtype=np.int64)
    while alive.size:
        if alive.size < 20_000:
            _greedy_sequential(alive, request, peer, score, room, peer_of_request, match_score)
            return
        r = request[alive]
        # Best remaining edge of each request: the first of its edges in global order.
        first[r] = alive[-1] + 1
        np.minimum.at(first, r, alive)
        best = first[r] == alive
        # Rank of each edge among its peer's remaining edges.
        p = peer[by_peer]
        starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
        counts = np.diff(np.r_[starts, p.size])
        rank = np.arange(p.size) - np.repeat(starts, counts)
        top = np.zeros(request.size, dtype=bool)
        top[by_peer[rank < room[p]]] = True
        take = alive[best & top[alive]]
        peer_of_request[request[take]] = peer[take]
        match_score[request[take]] = score[take]
        np.subtract.at(room, peer[take], 1)
        keep_alive = (peer_of_request[request[alive]] < 0) & (room[peer[alive]] > 0)
        keep_by_peer = (peer_of_request[request[by_peer]] < 0) & (room[peer[by_peer]] > 0)
        before = alive.size
        alive = alive[keep_alive]
        by_peer = by_peer[keep_by_peer]
        if take.size < 0.002 * before:
            _greedy_sequential(alive, request, peer, score, room, peer_of_request, match_score)
            return


def _greedy_sequential(edges, request, peer, score, room, peer_of_request, match_score) -> None:
    requests = request[edges].tolist()
    peers = peer[edges].tolist()
    free = (peer_of_request < 0).tolist()
    rooms = room.tolist()
    taken = []
    for position, (i, j) in enumerate(zip(requests, peers, strict=True)):
        if free[i] and rooms[j] > 0:
            free[i] = False
            rooms[j] -= 1
            taken.append(position)
    taken = edges[np.asarray(taken, dtype=np.int64)]
    peer_of_request[request[taken]] = peer[taken]
    match_score[request[taken]] = score[taken]
    room[:] = rooms


def _fill_times(result: Assignment, candidates: Candidates, capacity: np.ndarray):
    """Per request its match score (-inf if unmatched), and per full peer the pair that filled
    it in greedy order (its lowest score, then highest request); -inf / max int if not full."""
    n, m = result.peer_of_request.size, capacity.size
    match_score = np.full(n, -np.inf)
    requests, chosen = result.pairs()
    match_score[requests] = scores_of(candidates, requests, chosen)
    full_score = np.full(m, -np.inf)
    full_request = np.full(m, np.iinfo(np.int64).max)
    if requests.size:
        used = np.bincount(chosen, minlength=m)
        order = np.lexsort((-requests, match_score[requests]))  # last in greedy order first
        last = order[np.unique(chosen[order], return_index=True)[1]]
        full = used[chosen[last]] >= capacity[chosen[last]]
        full_score[chosen[last][full]] = match_score[requests[last][full]]
        full_request[chosen[last][full]] = requests[last][full]
    return match_score, full_score, full_request


def _later(score, index, old_score, old_index):
    """Whether (score, index) comes later in greedy order than (old_score, old_index):
    a lower score, or the same score and a higher index."""
    return (score < old_score) | ((score == old_score) & (index > old_index))


def greedy_all_pairs_on_batch(batch: Batch, candidates: Candidates, floor: np.ndarray, max_rounds):
    """The greedy over all allowed pairs, and the candidates grown so that they hold it.

    The greedy on the candidates equals the greedy on all allowed pairs unless some pair
    outside them comes, in greedy order, before both its request's match and the moment its
    peer became full. Such a pair scores at most its request's ``floor``, so only requests
    matched at or below their floor (or not at all) are rescored; pairs found are added and
    the greedy re-run, until none is left (or ``max_rounds`` rounds). After the first pass
    only requests matched later than before (and peers filled later than before) are
    rescored: every other pair was already checked against earlier (stricter) times.
    """
    n = batch.n
    biggest = np.iinfo(np.int64).max
    previous = None
    for rounds in itertools.count():
        result = greedy(candidates, batch.capacity, n)
        match_score, full_score, full_request = _fill_times(result, candidates, batch.capacity)
        peer_of = result.peer_of_request.astype(np.int64)
        match_peer = np.where(peer_of >= 0, peer_of, biggest)
        unsettled = (match_score <= floor) & (floor > -np.inf)
        if not unsettled.any() or (max_rounds is not None and rounds >= max_rounds):
            return result, candidates
        if previous is None:
            whole_rows, later_columns = unsettled, None
        else:
            old_match, old_peer, old_full, old_request, overflow = previous
            whole_rows = unsettled & (
                _later(match_score, match_peer, old_match, old_peer) | overflow
            )
            later_columns = _later(full_score, full_request, old_full, old_request)
        previous = (match_score, match_peer, full_score, full_request)
        lowest = floor[unsettled].max()

        def may_fill_late(columns, lowest=lowest, full_score=full_score):
            # A pair outside the candidates scores <= its request's floor.
            return columns[full_score[columns] <= lowest]

        def filled_later(columns, may_fill_late=may_fill_late, later_columns=later_columns):
            columns = may_fill_late(columns)
            return columns[later_columns[columns]]

        def before_both(
            rows,
            columns,
            scores,
            exact,
            match_score=match_score,
            match_peer=match_peer,
            full_score=full_score,
            full_request=full_request,
        ):
            margin = APPROXIMATION
            flagged = (
                (scores >= 0)
                & (scores >= match_score[rows][:, None] - margin)
                & (scores >= full_score[columns][None, :] - margin)
            )
            r, c = np.nonzero(flagged)
            score = exact(r, c)
            i, j = rows[r], columns[c]
            bad = ~_later(score, j, match_score[i], match_peer[i]) & (
                (score > full_score[j]) | ((score == full_score[j]) & (i < full_request[j]))
            )
            r, c, score = r[bad], c[bad], score[bad]
            return grow_per_request(rows, columns, r, c, score, np.lexsort((c, -score, r)))

        jobs = batch.blocks(np.flatnonzero(whole_rows), may_fill_late)
        if later_columns is not None and later_columns.any():
            jobs += batch.blocks(np.flatnonzero(unsettled & ~whole_rows), filled_later)
        found = list(batch.map(jobs, before_both, approximate=True))
        overflow = np.zeros(n, dtype=bool)
        for part in found:
            overflow[part[3]] = True
        previous = (*previous, overflow)
        extra = new_pairs(candidates, concat_found(found))
        if len(extra) == 0:
            return result, candidates
        candidates = candidates.union(extra)
    raise AssertionError("unreachable")  # pragma: no cover


def greedy_all_pairs(
    requests: RequestFeatures,
    peers: PeerFeatures,
    weights=None,
    exclusions=None,
    *,
    per_request: int = DEFAULT_PER_REQUEST,
    per_peer_slot: int = DEFAULT_PER_PEER_SLOT,
    block_size: int | None = None,
    workers: int | None = None,
    max_rounds: int | None = None,
) -> Assignment:
    """The greedy over all allowed pairs, computed without holding them all: the greedy on the
    candidates, checked and grown by rescoring only the requests it might have misled."""
    batch = Batch(requests, peers, weights, exclusions, block_size=block_size, workers=workers)
    candidates, floor = block_candidates(batch, per_request, per_peer_slot)
    return greedy_all_pairs_on_batch(batch, candidates, floor, max_rounds)[0]
