"""The exact solver: the optimum on a candidate graph (min-weight full bipartite matching)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .pairs import MATCH_BONUS, Assignment, Candidates, check_inputs, make_assignment, scores_of


def concatenated_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + k) for s, k in zip(starts, lengths)])``, vectorised."""
    lengths = lengths.astype(np.int64)
    total = int(lengths.sum())
    ends = np.cumsum(lengths)
    return np.repeat(starts.astype(np.int64) - (ends - lengths), lengths) + np.arange(total)


def solve(candidates: Candidates, capacities, n_requests: int) -> Assignment:
    """Maximum of sum(MATCH_BONUS + score) over b-matchings of the candidate graph, exactly.

    Each peer is split into ``min(capacity, degree)`` identical slots and the problem becomes a
    min-weight full bipartite matching (``scipy.sparse.csgraph``, LAPJVsp): the smaller side
    (slots or requests) are the rows; the columns are the other side plus one dummy
    "unmatched" column per row. A real edge costs ``1 + MATCH_BONUS - score`` and a dummy
    ``1 + 2 * MATCH_BONUS`` (all costs positive: SciPy ignores explicit zeros), so the minimum
    total cost is ``(1 + 2 * MATCH_BONUS) * rows - objective``.
    """
    capacities, candidates = check_inputs(candidates, capacities, n_requests)
    peer_of_request = np.full(n_requests, -1, dtype=np.int64)
    match_score = np.zeros(n_requests, dtype=np.float64)
    if len(candidates) == 0:
        return make_assignment(peer_of_request, match_score)
    keep = capacities[candidates.peer] > 0
    request = candidates.request[keep].astype(np.int64)
    peer = candidates.peer[keep].astype(np.int64)
    score = candidates.score[keep]
    if request.size == 0:
        return make_assignment(peer_of_request, match_score)
    if score.min() < -1e-6 or score.max() > 100 + 1e-6:
        raise ValueError("candidate scores must lie in 0..100")
    # Compact indices: only requests and peers with an edge take part (requests are sorted).
    new_request = np.r_[True, request[1:] != request[:-1]]
    requests_used = request[new_request]
    request_local = np.cumsum(new_request) - 1
    present = np.zeros(capacities.size, dtype=bool)
    present[peer] = True
    peers_used = np.flatnonzero(present)
    local_of_peer = np.zeros(capacities.size, dtype=np.int64)
    local_of_peer[peers_used] = np.arange(peers_used.size)
    peer_local = local_of_peer[peer]
    n_local = requests_used.size
    degree = np.bincount(peer_local, minlength=peers_used.size)
    slots = np.minimum(capacities[peers_used], degree)
    slot_start = np.r_[0, np.cumsum(slots)]
    n_slots = int(slot_start[-1])
    cost = 1.0 + MATCH_BONUS - score
    dummy_cost = 1.0 + 2 * MATCH_BONUS
    if n_slots <= n_local:
        # Rows are slots: every slot of peer j lists j's edges (by request), then its dummy.
        by_peer = np.argsort(peer_local, kind="stable")  # within a peer: by request
        edge_start = np.r_[0, np.cumsum(degree)][:-1]
        peer_of_row = np.repeat(np.arange(peers_used.size), slots)
        row_degree = degree[peer_of_row]
        n_rows, n_real = n_slots, n_local
        edges = by_peer[concatenated_ranges(edge_start[peer_of_row], row_degree)]
        real_columns = request_local[edges]
    else:
        # Rows are requests: each edge of request i lists every slot of its peer.
        by_request = np.arange(request.size)  # already by request, then peer
        edges = np.repeat(by_request, slots[peer_local])
        row_degree = np.bincount(request_local[edges], minlength=n_local)
        n_rows, n_real = n_local, n_slots
        real_columns = concatenated_ranges(slot_start[peer_local], slots[peer_local])
    # Interleave each row's real entries with its dummy (last, as its column is the largest).
    row_length = row_degree + 1
    indptr = np.r_[0, np.cumsum(row_length)]
    dummy_at = indptr[1:] - 1
    is_real = np.ones(int(indptr[-1]), dtype=bool)
    is_real[dummy_at] = False
    indices = np.empty(int(indptr[-1]), dtype=np.int32 if n_real + n_rows < 2**31 else np.int64)
    data = np.empty(int(indptr[-1]), dtype=np.float64)
    indices[is_real] = real_columns
    indices[dummy_at] = n_real + np.arange(n_rows)
    data[is_real] = cost[edges]
    data[dummy_at] = dummy_cost
    del edges, real_columns, is_real
    graph = sp.csr_array((data, indices, indptr), shape=(n_rows, n_real + n_rows))
    row_index, column_index = min_weight_full_bipartite_matching(graph)
    del graph, data, indices
    real = column_index < n_real
    row_index, column_index = row_index[real], column_index[real]
    if n_slots <= n_local:
        slot_of, request_of = row_index, column_index
    else:
        request_of, slot_of = row_index, column_index
    peer_of_slot = np.repeat(np.arange(peers_used.size), slots)
    chosen_request = requests_used[request_of]
    chosen_peer = peers_used[peer_of_slot[slot_of]]
    peer_of_request[chosen_request] = chosen_peer
    match_score[chosen_request] = scores_of(
        Candidates(request, peer, score), chosen_request, chosen_peer
    )
    return make_assignment(peer_of_request, match_score)
