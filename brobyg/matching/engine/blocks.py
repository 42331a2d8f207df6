"""Blocked scoring: requests scored in blocks against the peers of their programme, keeping
each side's best candidates without holding the full matrix."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .fast import BlockScorer, request_units
from .features import PeerFeatures, RequestFeatures, validate_exclusions
from .pairs import (
    APPROXIMATION,
    DEFAULT_PER_PEER_SLOT,
    DEFAULT_PER_REQUEST,
    DISALLOWED,
    PAIRS_PER_BLOCK,
    Candidates,
    concat_found,
)


class Batch:
    """Requests and peers of one run, grouped by programme, with a scorer per group."""

    def __init__(self, requests, peers, weights, exclusions, *, block_size, workers) -> None:
        self.requests = requests
        self.peers = peers
        self.n, self.m = len(requests), len(peers)
        self.exclusions = validate_exclusions(exclusions, self.n, self.m)
        self.weights = weights
        self.units = request_units(requests, weights)
        self.capacity = peers.capacity.astype(np.int64)
        if block_size is not None and block_size < 1:
            raise ValueError("block_size must be at least 1")
        self.block_size = block_size
        self.workers = max(1, workers or min(2, os.cpu_count() or 1))
        self.groups: dict[int, tuple[np.ndarray, BlockScorer]] = {}
        open_peers = self.capacity > 0
        for programme in np.unique(requests.programme).tolist():
            member = ((peers.programmes >> np.uint64(programme)) & np.uint64(1)).astype(bool)
            columns = np.flatnonzero(member & open_peers)
            if columns.size:
                self.groups[programme] = (columns, self._scorer(columns))

    def pair_count(self) -> int:
        """How many pairs scoring every request against its programme's peers means."""
        programme = self.requests.programme
        return sum(
            int(np.count_nonzero(programme == value)) * columns.size
            for value, (columns, _) in self.groups.items()
        )

    def _scorer(self, columns: np.ndarray) -> BlockScorer:
        return BlockScorer(
            self.requests,
            self.peers,
            self.weights,
            self.exclusions,
            peer_index=columns,
            check_programme=False,
            check_capacity=False,
            units=self.units,
        )

    def blocks(self, rows: np.ndarray, columns_of: Callable | None = None) -> list:
        """Jobs ``(scorer, global columns, block rows)`` covering ``rows``, grouped by
        programme and, within it, by municipality (fewer distinct area features per block).
        ``columns_of`` may narrow a programme's peers."""
        jobs = []
        programme = self.requests.programme[rows]
        for value in np.unique(programme).tolist():
            if value not in self.groups:
                continue
            columns, scorer = self.groups[value]
            if columns_of is not None:
                narrowed = columns_of(columns)
                if narrowed.size == 0:
                    continue
                if narrowed.size != columns.size:
                    columns, scorer = narrowed, self._scorer(narrowed)
            group = rows[programme == value]
            group = group[np.argsort(self.requests.municipality[group], kind="stable")]
            step = self.block_size or max(64, PAIRS_PER_BLOCK // columns.size)
            for start in range(0, group.size, step):
                jobs.append((scorer, columns, np.sort(group[start : start + step])))
        return jobs

    def map(self, jobs: list, function: Callable, *, approximate: bool = False) -> Iterator:
        """``function(rows, columns, scores, exact)`` on each block, scores being -1 where a
        hard constraint fails, in a small thread pool; results are yielded in job order.

        With ``approximate`` the scores are float32 (within ``APPROXIMATION`` of the exact
        ones) and ``exact(r, c)`` gives the exact float64 scores at block positions (r, c);
        otherwise the scores are the exact float64 ones.
        """

        def run(job):
            scorer, columns, rows = job
            numerators, units = scorer.numerators(rows)
            if approximate:
                scores = scorer.approximate(numerators, units)
            else:
                scores = scorer.finish(numerators, units)
            np.copyto(scores, DISALLOWED, where=scorer.forbidden(rows))

            def exact(r, c):
                return scorer.finish_at(numerators, units, r, c)

            return function(rows, columns, scores, exact)

        if self.workers == 1 or len(jobs) < 2:
            yield from map(run, jobs)
            return
        with ThreadPoolExecutor(self.workers) as pool:
            # Submit lazily (a bounded window) so finished blocks do not pile up in memory.
            window = 2 * self.workers
            pending = [pool.submit(run, job) for job in jobs[:window]]
            for index in range(len(jobs)):
                result = pending[index].result()
                pending[index] = None
                if index + window < len(jobs):
                    pending.append(pool.submit(run, jobs[index + window]))
                yield result


class _PeerBest:
    """Each peer's best ``depth[j]`` requests seen so far, over all blocks and programmes.

    Blocks pass on only their pairs scoring above the peer's current ``threshold`` (its
    ``depth``-th best score so far, or -0.5 while it has fewer), so after the first blocks
    only a trickle of pairs reaches the (periodic) merge. Workers read ``threshold`` while
    the merging thread replaces it by a new array: a stale one is lower, which is still safe.
    """

    def __init__(self, depth: np.ndarray) -> None:
        self.depth = depth
        self.threshold = np.where(depth > 0, -0.5, np.inf)
        self.kept = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        self.pending: list = []
        self.pending_size = 0

    def offer(self, requests: np.ndarray, peers: np.ndarray, scores: np.ndarray) -> None:
        self.pending.append((requests, peers, scores))
        self.pending_size += requests.size
        if self.pending_size > max(self.kept[0].size, 1 << 18):
            self._merge()

    def _merge(self) -> None:
        if not self.pending:
            return
        requests, peers, scores = (
            np.concatenate([self.kept[k], *(part[k] for part in self.pending)]) for k in range(3)
        )
        self.pending, self.pending_size = [], 0
        # By peer, then by descending score (one float key: scores lie in 0..100).
        order = np.argsort(peers * 128.0 + (100.0 - scores), kind="stable")
        requests, peers, scores = requests[order], peers[order], scores[order]
        starts = np.flatnonzero(np.r_[True, peers[1:] != peers[:-1]])
        rank = np.arange(peers.size) - np.repeat(starts, np.diff(np.r_[starts, peers.size]))
        keep = rank < self.depth[peers]
        self.kept = (requests[keep], peers[keep], scores[keep])
        threshold = np.where(self.depth > 0, -0.5, np.inf)
        last = keep & (rank == self.depth[peers] - 1)
        threshold[peers[last]] = scores[last]
        self.threshold = threshold

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._merge()
        return self.kept


def _row_best(scores, k):
    """Block positions (r, c) of each row's best ``k`` allowed pairs (ties at the k-th score
    included, up to 2k), and each row's floor: an upper bound on the score of its allowed
    pairs left out (-inf when none is)."""
    width = scores.shape[1]
    if k >= width:
        keep = scores >= 0
        floor = np.full(scores.shape[0], -np.inf)
    else:
        kth = np.partition(scores, width - k, axis=1)[:, width - k]
        floor = np.where(kth >= 0, kth.astype(np.float64) + APPROXIMATION, -np.inf)
        keep = scores >= np.maximum(kth, 0)[:, None]
        crowded = np.flatnonzero(np.count_nonzero(keep, axis=1) > 2 * k)
        if crowded.size:  # many ties at the k-th score: exactly k of them
            index = np.argpartition(scores[crowded], width - k, axis=1)[:, width - k :]
            keep[crowded] = False
            keep[crowded[:, None], index] = True
    r, c = np.nonzero(keep)
    return r, c, floor


def block_candidates(batch: Batch, per_request: int, per_peer_slot: int):
    """Candidates, and per request its floor (no allowed pair outside the candidates scores
    above it; ``-inf`` when all of its allowed pairs are candidates)."""
    if per_request < 1 or per_peer_slot < 0:
        raise ValueError("per_request must be >= 1 and per_peer_slot >= 0")
    floor = np.full(batch.n, -np.inf)
    jobs = batch.blocks(np.arange(batch.n))
    peer_best = _PeerBest(per_peer_slot * batch.capacity)

    def select(rows, columns, scores, exact):
        r, c, row_floor = _row_best(scores, per_request)
        pairs = (rows[r], columns[c], exact(r, c))
        threshold = peer_best.threshold[columns] - APPROXIMATION  # a snapshot
        passing = scores > threshold.astype(np.float32)[None, :]
        depth = int(peer_best.depth[columns].max())
        if depth < scores.shape[0] and np.count_nonzero(passing) > 4 * depth * columns.size:
            # Early blocks: first cut each peer's column to its best ``depth`` rows (ties,
            # and near-ties of the float32 scores, kept: the result must not depend on which
            # blocks were early, which depends on thread timing).
            kth = np.partition(scores, scores.shape[0] - depth, axis=0)[scores.shape[0] - depth]
            passing &= scores >= kth[None, :] - np.float32(APPROXIMATION)
        r, c = np.nonzero(passing)
        return rows, row_floor, pairs, (rows[r], columns[c], exact(r, c))

    parts = []
    for rows, row_floor, pairs, offered in batch.map(jobs, select, approximate=True):
        floor[rows] = row_floor
        parts.append(pairs)
        if offered[0].size:
            peer_best.offer(*offered)
    parts.append(peer_best.result())
    return concat_found(parts), floor


def candidate_pairs(
    requests: RequestFeatures,
    peers: PeerFeatures,
    weights=None,
    exclusions=None,
    *,
    per_request: int = DEFAULT_PER_REQUEST,
    per_peer_slot: int = DEFAULT_PER_PEER_SLOT,
    block_size: int | None = None,
    workers: int | None = None,
) -> Candidates:
    """Allowed pairs worth considering: each request's best ``per_request`` peers and each
    peer's best ``per_peer_slot * capacity`` requests, sorted by (request, peer).

    Requests are scored in blocks of ``block_size`` rows (default: about 2M pairs per block)
    against the peers of their programme that have room, in ``workers`` threads (default: up
    to 2); memory stays bounded by a few blocks whatever n and m are. ``weights``: one set for
    all programmes or one per programme index (see ``scoring.weights_table``).
    """
    batch = Batch(requests, peers, weights, exclusions, block_size=block_size, workers=workers)
    return block_candidates(batch, per_request, per_peer_slot)[0]
