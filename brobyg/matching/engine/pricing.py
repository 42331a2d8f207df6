"""Pricing: LP dual prices of an optimum and the allowed pairs that could still improve it."""

from __future__ import annotations

import numpy as np

from .blocks import Batch
from .exact import concatenated_ranges
from .pairs import (
    APPROXIMATION,
    MATCH_BONUS,
    PRICE_TOLERANCE,
    Assignment,
    Candidates,
    concat_found,
    grow_per_request,
)


def dual_prices(candidates: Candidates, capacity: np.ndarray, result: Assignment):
    """LP dual prices of an optimal b-matching of the candidate graph, or None.

    The LP: max sum(w x), each request at most 1 (price u_i >= 0), each peer at most its
    capacity (price v_j >= 0), with w = MATCH_BONUS + score. Given the optimum, the smallest
    peer prices satisfying every candidate's dual constraint are longest-path distances:
    ``v_j' >= v_j + w(i, j') - w(i, j)`` for i matched to j, and ``v_j' >= w(i, j')`` for i
    unmatched. They are found by Bellman-Ford in vectorised rounds (only edges leaving prices
    that changed are relaxed again); then ``u_i = w(i, j) - v_j`` for matched requests, 0 for
    the others. Returns None if the rounds do not settle or complementary slackness fails
    (numerically), in which case no optimality certificate is claimed.
    """
    m = capacity.size
    peer_of = result.peer_of_request.astype(np.int64)
    weight = MATCH_BONUS + candidates.score
    request = candidates.request.astype(np.int64)
    target = candidates.peer.astype(np.int64)
    match_weight = np.zeros(peer_of.size)
    matched_edge = peer_of[request] == target
    match_weight[request[matched_edge]] = weight[matched_edge]
    source = np.where(peer_of[request] >= 0, peer_of[request], m)  # m: the "unmatched" root
    length = weight - match_weight[request]
    useful = ~matched_edge
    source, target, length = source[useful], target[useful], length[useful]
    order = np.argsort(source, kind="stable")
    source, target, length = source[order], target[order], length[order]
    edge_start = np.searchsorted(source, np.arange(m + 2))
    price = np.zeros(m + 1)  # price[m] is the root's, fixed at 0
    frontier = np.arange(m + 1)
    tolerance = 1e-9
    for _round in range(max(100, 4 * int(np.sqrt(m + 1)) + 50)):
        starts, ends = edge_start[frontier], edge_start[frontier + 1]
        edges = concatenated_ranges(starts, ends - starts)
        if edges.size == 0:
            break
        reach = price[source[edges]] + length[edges]
        better = reach > price[target[edges]] + tolerance
        if not better.any():
            break
        edges, reach = edges[better], reach[better]
        by_target = np.lexsort((-reach, target[edges]))
        first = by_target[
            np.r_[True, target[edges][by_target][1:] != target[edges][by_target][:-1]]
        ]
        price[target[edges][first]] = reach[first]
        frontier = np.unique(target[edges][first])
    else:
        return None
    v = price[:m]
    used = np.bincount(peer_of[peer_of >= 0], minlength=m)
    u = np.zeros(peer_of.size)
    matched = peer_of >= 0
    u[matched] = match_weight[matched] - v[peer_of[matched]]
    if (u < -1e-6).any() or (v[used < capacity] > 1e-6).any():
        return None
    return np.maximum(u, 0.0), v


def price_pairs(batch: Batch, floor, u, v, previous=None) -> tuple[Candidates, np.ndarray]:
    """Allowed pairs outside the candidates whose reduced cost ``w - u_i - v_j`` is positive
    (up to GROW_PER_REQUEST per request, the largest first): the pairs that could still
    improve the assignment. None exist iff it is optimal over all allowed pairs.

    ``previous`` = (u, v, overflow) of the last pass. That pass left every pair outside the
    candidates (but in ``overflow`` rows, which had more improving pairs than were taken)
    with reduced cost <= 0 at its prices; so now only pairs whose request's or peer's price
    fell since, or in overflow rows, need a look. Returns the pairs found and this pass's
    overflow rows.
    """
    # A pair outside the candidates scores at most its request's floor, and v >= 0.
    eligible = (floor > -np.inf) & (u < MATCH_BONUS + floor)
    if previous is None:
        whole_rows, fell_columns = eligible, None
    else:
        last_u, last_v, overflow = previous
        whole_rows = eligible & ((u < last_u) | overflow)
        fell_columns = v < last_v
    overflow = np.zeros(batch.n, dtype=bool)
    rows = np.flatnonzero(eligible)
    if rows.size == 0:
        return Candidates.empty(), overflow
    reach = MATCH_BONUS + floor[rows].max() - u[rows].min()

    def cheap_enough(columns):
        return columns[v[columns] < reach]

    def fell_and_cheap(columns):
        return columns[fell_columns[columns] & (v[columns] < reach)]

    def improving(rows, columns, scores, exact):
        gain = (MATCH_BONUS + scores) - u[rows][:, None] - v[columns][None, :]
        r, c = np.nonzero((gain > -APPROXIMATION) & (scores >= 0))
        if r.size == 0:
            return r, r, np.zeros(0), r
        score = exact(r, c)
        gain = MATCH_BONUS + score - u[rows[r]] - v[columns[c]]
        keep = gain > PRICE_TOLERANCE
        r, c, score, gain = r[keep], c[keep], score[keep], gain[keep]
        # At most GROW_PER_REQUEST per request, the largest gains first.
        return grow_per_request(rows, columns, r, c, score, np.lexsort((-gain, r)))

    jobs = batch.blocks(np.flatnonzero(whole_rows), cheap_enough)
    if fell_columns is not None and fell_columns.any():
        jobs += batch.blocks(np.flatnonzero(eligible & ~whole_rows), fell_and_cheap)
    found = list(batch.map(jobs, improving, approximate=True))
    for part in found:
        overflow[part[3]] = True
    return concat_found(found), overflow
