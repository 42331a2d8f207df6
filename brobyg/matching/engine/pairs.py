"""Candidate pairs and assignments: the types the solvers share, and set operations on pairs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MATCH_BONUS = 100.0


# Candidate lists: each request's best 15 peers, each peer's best 3 x capacity requests. The
# pricing rounds of ``assign`` make the result exact whatever these are; they trade the size
# of the graph to solve against the number of rounds (measured on benchmarks/matching.py).
DEFAULT_PER_REQUEST = 15


DEFAULT_PER_PEER_SLOT = 3


# Default block: about this many pairs (2M: 16 MiB of float64 scores plus a few masks).
PAIRS_PER_BLOCK = 1 << 21


# ``assign`` computes the greedy over all allowed pairs when the batch has at most this many
# pairs to score (the sum over programmes of requests x peers with room), else on candidates.
ALL_PAIRS_GREEDY_LIMIT = 50_000_000


# Rounds of growing the candidates before ``assign`` stops (each is a partial rescoring pass
# and a re-solve); real batches need 1-4.
MAX_GROW_ROUNDS = 12


# Per request and round, at most this many missing pairs are added.
GROW_PER_REQUEST = 8


# A pair counts as improving when its reduced cost exceeds this (float noise is far smaller).
PRICE_TOLERANCE = 1e-7


DISALLOWED = -1.0  # score sentinel of forbidden pairs inside blocks (real scores are >= 0)


APPROXIMATION = 1e-4  # bound on |float32 score - exact score| (the error is below 3e-5)


@dataclass(frozen=True, eq=False)
class Candidates:
    """Allowed (request, peer) pairs with their scores, each pair at most once."""

    request: np.ndarray  # int32
    peer: np.ndarray  # int32
    score: np.ndarray  # float64

    def __post_init__(self) -> None:
        request = np.asarray(self.request, dtype=np.int32)
        peer = np.asarray(self.peer, dtype=np.int32)
        score = np.asarray(self.score, dtype=np.float64)
        if not (request.ndim == peer.ndim == score.ndim == 1):
            raise ValueError("candidate arrays must be 1-D")
        if not request.size == peer.size == score.size:
            raise ValueError("candidate arrays must have equal lengths")
        object.__setattr__(self, "request", request)
        object.__setattr__(self, "peer", peer)
        object.__setattr__(self, "score", score)

    def __len__(self) -> int:
        return int(self.request.size)

    @classmethod
    def empty(cls) -> Candidates:
        return cls(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float64))

    def union(self, other: Candidates) -> Candidates:
        """Both sets, duplicates dropped (the first set's score wins), sorted by (request, peer)."""
        return _dedupe(
            np.concatenate([self.request, other.request]),
            np.concatenate([self.peer, other.peer]),
            np.concatenate([self.score, other.score]),
        )


@dataclass(frozen=True, eq=False)
class Assignment:
    """One assignment: ``peer_of_request[i]`` is request i's peer or -1 (unmatched)."""

    peer_of_request: np.ndarray  # int32, length n
    score: float  # sum of the chosen pairs' scores (without the bonus)
    matched: int
    # Set by ``assign`` when LP duality proves the assignment optimal over all allowed pairs.
    proven_optimal: bool = False

    @property
    def objective(self) -> float:
        """sum(MATCH_BONUS + score) over the chosen pairs."""
        return self.matched * MATCH_BONUS + self.score

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(requests, peers) of the chosen pairs, by request."""
        requests = np.flatnonzero(self.peer_of_request >= 0)
        return requests, self.peer_of_request[requests].astype(np.int64)


def _dedupe(request, peer, score) -> Candidates:
    request = np.asarray(request, dtype=np.int64)
    peer = np.asarray(peer, dtype=np.int64)
    if request.size == 0:
        return Candidates.empty()
    key = (request << 32) | peer
    unique, first = np.unique(key, return_index=True)
    return Candidates(
        (unique >> 32).astype(np.int32), (unique & 0xFFFFFFFF).astype(np.int32), score[first]
    )


def make_assignment(peer_of_request: np.ndarray, scores: np.ndarray) -> Assignment:
    """An Assignment from ``peer_of_request`` and each request's match score."""
    peer_of_request = peer_of_request.astype(np.int32)
    matched = peer_of_request >= 0
    return Assignment(peer_of_request, float(np.sum(scores[matched])), int(matched.sum()))


def check_inputs(candidates: Candidates, capacities, n_requests: int):
    """Validated capacities (int64, negatives as 0) and the candidates sorted by (request,
    peer) with duplicate pairs dropped (the higher score kept)."""
    capacities = np.asarray(capacities)
    if capacities.ndim != 1 or (capacities.size and capacities.dtype.kind not in "iu"):
        raise ValueError("capacities must be a 1-D integer array")
    capacities = np.maximum(capacities.astype(np.int64), 0)
    if len(candidates):
        if candidates.request.min() < 0 or candidates.request.max() >= n_requests:
            raise ValueError("candidate request index out of range")
        if candidates.peer.min() < 0 or candidates.peer.max() >= capacities.size:
            raise ValueError("candidate peer index out of range")
        if not np.isfinite(candidates.score).all():
            raise ValueError("candidate scores must be finite")
        key = _keys(candidates)
        if key.size > 1 and not (key[1:] > key[:-1]).all():
            order = np.lexsort((-candidates.score, key))
            candidates = _dedupe(
                candidates.request[order], candidates.peer[order], candidates.score[order]
            )
    return capacities, candidates


def grow_per_request(rows, columns, r, c, score, order):
    """A block's found pairs (block-local ``r``, ``c`` with their ``score``) in ``order``, at
    most ``GROW_PER_REQUEST`` per request: (request rows, peer columns, scores, the request rows
    of the pairs left over)."""
    r, c, score = r[order], c[order], score[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if r.size else r
    rank = np.arange(r.size) - np.repeat(starts, np.diff(np.r_[starts, r.size]))
    keep = rank < GROW_PER_REQUEST
    return rows[r[keep]], columns[c[keep]], score[keep], rows[r[~keep]]


def concat_found(parts) -> Candidates:
    if not parts:
        return Candidates.empty()
    return _dedupe(
        np.concatenate([part[0] for part in parts]),
        np.concatenate([part[1] for part in parts]),
        np.concatenate([part[2] for part in parts]),
    )


def _keys(candidates: Candidates) -> np.ndarray:
    return (candidates.request.astype(np.int64) << 32) | candidates.peer


def _find(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``wanted`` in ``keys`` and whether each was found."""
    if keys.size > 1 and not (keys[1:] > keys[:-1]).all():
        order = np.argsort(keys, kind="stable")
        position, found = _find(keys[order], wanted)
        return order[position], found
    position = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
    found = keys[position] == wanted if keys.size else np.zeros(wanted.size, dtype=bool)
    return position, found


def new_pairs(candidates: Candidates, found: Candidates) -> Candidates:
    """The pairs of ``found`` that are not among ``candidates``."""
    if len(found) == 0 or len(candidates) == 0:
        return found
    new = ~_find(_keys(candidates), _keys(found))[1]
    return Candidates(found.request[new], found.peer[new], found.score[new])


def scores_of(candidates: Candidates, requests: np.ndarray, peers: np.ndarray) -> np.ndarray:
    """Scores of pairs that are among the candidates."""
    wanted = (requests.astype(np.int64) << 32) | peers.astype(np.int64)
    return candidates.score[_find(_keys(candidates), wanted)[0]]
