"""Batch assignment of waiting requests to peers under capacities.

Objective of a batch: choose allowed pairs, each request at most once and each peer at most
``capacity`` times, maximising sum(MATCH_BONUS + score): in practice first as many citizens
matched as possible, then the best fit. The reported ``score`` is sum(score), without bonus.

``assign`` (what the app calls):

1. ``candidate_pairs`` scores the requests in blocks (per programme, against the peers of that
   programme with room; the full n x m matrix is never held) and keeps each request's best
   ``per_request`` peers and each peer's best ``per_peer_slot x capacity`` requests, so that
   both the citizens' and the peers' sides are covered.
2. ``greedy`` runs on the candidates, or (``greedy_over="all"``, the default for batches of
   up to ``ALL_PAIRS_GREEDY_LIMIT`` scored pairs) the greedy over *all* allowed pairs is
   computed without holding them (``greedy_all_pairs``); its pairs join the candidates.
3. ``solve`` finds the exact optimum on the candidate graph: a min-weight full bipartite
   matching (SciPy's LAPJVsp) over peer slots, with a dummy "unmatched" partner per row.
4. Pricing: the LP dual prices of that optimum are computed (Bellman-Ford on the peers), and
   every allowed pair is checked for a positive reduced cost (one rescoring pass, then only
   where prices fell). Such pairs could still improve the assignment: they join the
   candidates and the graph is re-solved. When none is left the assignment is optimal over
   *all* allowed pairs (``proven_optimal``), hence never below any greedy.
"""

from __future__ import annotations

import dataclasses

from .blocks import Batch, block_candidates, candidate_pairs
from .exact import solve
from .features import PeerFeatures, RequestFeatures
from .greedy import greedy, greedy_all_pairs, greedy_all_pairs_on_batch
from .pairs import (
    ALL_PAIRS_GREEDY_LIMIT,
    DEFAULT_PER_PEER_SLOT,
    DEFAULT_PER_REQUEST,
    MATCH_BONUS,
    MAX_GROW_ROUNDS,
    Assignment,
    Candidates,
    new_pairs,
)
from .pricing import dual_prices, price_pairs

__all__ = [
    "MATCH_BONUS",
    "Assignment",
    "Candidates",
    "assign",
    "candidate_pairs",
    "greedy",
    "greedy_all_pairs",
    "solve",
]


def assign(
    requests: RequestFeatures,
    peers: PeerFeatures,
    weights=None,
    exclusions=None,
    *,
    per_request: int = DEFAULT_PER_REQUEST,
    per_peer_slot: int = DEFAULT_PER_PEER_SLOT,
    block_size: int | None = None,
    workers: int | None = None,
    greedy_over: str = "auto",
) -> tuple[Assignment, Assignment]:
    """The batch's best assignment and the greedy one; the first is never worse.

    The first is exact on the candidate graph, grown by pricing until LP duality proves it
    optimal over all allowed pairs (``proven_optimal``; if ``MAX_GROW_ROUNDS`` did not
    suffice, or the prices could not be computed, it is still optimal on the candidates).
    ``greedy_over``: "all" for the greedy over all allowed pairs, "candidates" for the greedy
    on the candidates only (cheaper, and worse: short lists leave the greedy stuck), "auto"
    for "all" up to ``ALL_PAIRS_GREEDY_LIMIT`` pairs to score. The greedy's pairs are among
    the candidates, so the optimum on them is at least as good as the greedy.
    """
    if greedy_over not in ("auto", "all", "candidates"):
        raise ValueError('greedy_over must be "auto", "all" or "candidates"')
    batch = Batch(requests, peers, weights, exclusions, block_size=block_size, workers=workers)
    candidates, floor = block_candidates(batch, per_request, per_peer_slot)
    if greedy_over == "auto":
        greedy_over = "all" if batch.pair_count() <= ALL_PAIRS_GREEDY_LIMIT else "candidates"
    if greedy_over == "all":
        greedy_result, candidates = greedy_all_pairs_on_batch(batch, candidates, floor, None)
    else:
        greedy_result = greedy(candidates, batch.capacity, batch.n)
    result = solve(candidates, batch.capacity, batch.n)
    previous = None
    for _round in range(MAX_GROW_ROUNDS):
        duals = dual_prices(candidates, batch.capacity, result)
        if duals is None:
            break
        found, overflow = price_pairs(batch, floor, *duals, previous)
        extra = new_pairs(candidates, found)
        if len(extra) == 0:
            result = dataclasses.replace(result, proven_optimal=not overflow.any())
            break
        previous = (*duals, overflow)
        candidates = candidates.union(extra)
        result = solve(candidates, batch.capacity, batch.n)
    if result.objective < greedy_result.objective:  # cannot happen: kept as a guarantee
        result = greedy_result
    return result, greedy_result
