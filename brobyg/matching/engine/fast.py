"""The fast scoring path: request units, feature matrices and the block scorer behind
``score_matrix`` (see ``scoring`` for why its scores are exact)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import (
    N_AVAILABILITY_BITS,
    N_CRITERIA,
    N_EXPERIENCE_BITS,
    N_FORM_BITS,
    N_LANGUAGES,
    N_MUNICIPALITIES,
    N_PROGRAMMES,
    N_PURPOSE_BITS,
    PeerFeatures,
    RequestFeatures,
    validate_exclusions,
)
from .reference import (
    AGE,
    AREA,
    AVAILABILITY,
    BITMASK_CRITERIA,
    EQUALITY_CRITERIA,
    EXPERIENCE,
    FORM,
    GENDER,
    LANGUAGE,
    LOAD,
    PEER_TYPE,
    PURPOSES,
    applicable_criteria,
    covers,
    has_bit,
    wants_remote,
    weights_table,
)

# Layout of the feature axis of the product Q @ P (the load criterion is kept apart).
_F_EXPERIENCE = 0
_F_PURPOSES = _F_EXPERIENCE + N_EXPERIENCE_BITS
_F_FORM = _F_PURPOSES + N_PURPOSE_BITS
_F_AVAILABILITY = _F_FORM + N_FORM_BITS
_F_LANGUAGE = _F_AVAILABILITY + N_AVAILABILITY_BITS
_F_PEER_TYPE = _F_LANGUAGE + N_LANGUAGES
_F_GENDER = _F_PEER_TYPE + 2
_F_AGE = _F_GENDER + 3
_F_MUNICIPALITY = _F_AGE + 3
_F_REMOTE = _F_MUNICIPALITY + N_MUNICIPALITIES
_F_MUNICIPALITY_REMOTE = _F_REMOTE + 1
_N_FEATURES = _F_MUNICIPALITY_REMOTE + N_MUNICIPALITIES
_BITMASK_OFFSETS = {
    EXPERIENCE: _F_EXPERIENCE,
    PURPOSES: _F_PURPOSES,
    FORM: _F_FORM,
    AVAILABILITY: _F_AVAILABILITY,
}
_EQUALITY_OFFSETS = {PEER_TYPE: _F_PEER_TYPE, GENDER: _F_GENDER, AGE: _F_AGE}


# Fast scores are rounded to multiples of this (error <= 1.2e-10, far below the 1e-9 promised).
SCORE_QUANTUM = 2.0**-32


def _quantise(scores: np.ndarray) -> np.ndarray:
    """Round in place to the nearest multiple of SCORE_QUANTUM (exact binary arithmetic)."""
    scores *= 1.0 / SCORE_QUANTUM
    np.rint(scores, out=scores)
    scores *= SCORE_QUANTUM
    return scores


def _bits(values: np.ndarray, count: int) -> np.ndarray:
    """(len(values), count) uint8: bit b of each value."""
    shifts = np.arange(count, dtype=values.dtype)
    return ((values[:, None] >> shifts[None, :]) & 1).astype(np.uint8)


@dataclass(frozen=True, eq=False)
class RequestUnits:
    """Each request's score as ``scale * N + load_weight * (1 - peer.load)``, N an integer.

    ``units[:, c]`` is what one unit of criterion c's numerator is worth in N: for a bitmask
    criterion one shared bit, ``w_c·L / popcount(request)``; for the others the whole
    criterion, ``w_c·L``; 0 where the criterion does not apply. ``L`` is the least common
    multiple of the request's popcounts (at most 7440), so every unit is an integer and
    ``N ≤ 90·7440 < 2**24``: float32 sums of such integers are exact in any order, which makes
    a pair's score independent of how the pairs were blocked. ``scale = 100 / (D·L)`` and
    ``load_weight = 100·w_load / D`` with D the request's sum of applicable weights (both 0
    when D is 0). The units of ``load`` are unused.
    """

    units: np.ndarray  # float32 (n, len(CRITERIA)), integer values
    scale: np.ndarray  # float64 (n,)
    load_weight: np.ndarray  # float64 (n,)

    def take(self, rows: np.ndarray) -> RequestUnits:
        return RequestUnits(self.units[rows], self.scale[rows], self.load_weight[rows])


def request_units(requests: RequestFeatures, weights=None) -> RequestUnits:
    """The integer units and scales of each request's score (see ``RequestUnits``)."""
    applicable = applicable_criteria(requests)
    w = weights_table(weights)[requests.programme] * applicable  # integer-valued floats
    total = w.sum(axis=1)
    counts = {
        criterion: np.bitwise_count(getattr(requests, field)).astype(np.int64)
        for criterion, (field, _, _) in BITMASK_CRITERIA.items()
    }
    lcm = np.ones(len(requests), dtype=np.int64)
    for count in counts.values():
        lcm = np.lcm(lcm, np.maximum(count, 1))
    units = w * lcm[:, None]
    for criterion, count in counts.items():
        units[:, criterion] = np.where(count > 0, units[:, criterion] // np.maximum(count, 1), 0)
    units[:, LOAD] = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(total > 0, 100.0 / (total * lcm), 0.0)
        load_weight = np.where(total > 0, 100.0 * w[:, LOAD] / total, 0.0)
    return RequestUnits(units.astype(np.float32), scale, load_weight)


def peer_feature_matrix(peers: PeerFeatures) -> np.ndarray:
    """(_N_FEATURES, m) float32: each peer's 0/1 features."""
    m = len(peers)
    matrix = np.zeros((_N_FEATURES, m), dtype=np.float32)
    for criterion, (_, field, count) in BITMASK_CRITERIA.items():
        offset = _BITMASK_OFFSETS[criterion]
        matrix[offset : offset + count] = _bits(getattr(peers, field), count).T
    matrix[_F_LANGUAGE : _F_LANGUAGE + N_LANGUAGES] = _bits(peers.languages, N_LANGUAGES).T
    for criterion, (_, field, count) in EQUALITY_CRITERIA.items():
        offset = _EQUALITY_OFFSETS[criterion]
        values = getattr(peers, field)
        for value in range(1, count + 1):
            matrix[offset + value - 1] = values == value
    covers = np.concatenate([_bits(peers.areas[:, 0], 64), _bits(peers.areas[:, 1], 64)], axis=1)
    matrix[_F_MUNICIPALITY : _F_MUNICIPALITY + N_MUNICIPALITIES] = covers.T
    matrix[_F_REMOTE] = peers.remote
    matrix[_F_MUNICIPALITY_REMOTE : _F_MUNICIPALITY_REMOTE + N_MUNICIPALITIES] = (
        covers.T & peers.remote[None, :]
    )
    return matrix


def request_feature_matrix(requests: RequestFeatures, units: np.ndarray) -> np.ndarray:
    """(n, _N_FEATURES) float32: the request side ``Q`` of the product (integer units)."""
    n = len(requests)
    matrix = np.zeros((n, _N_FEATURES), dtype=np.float32)
    for criterion, (field, _, count) in BITMASK_CRITERIA.items():
        offset = _BITMASK_OFFSETS[criterion]
        matrix[:, offset : offset + count] = (
            _bits(getattr(requests, field), count) * units[:, criterion : criterion + 1]
        )
    rows = np.arange(n)
    language = requests.language.astype(np.int64)
    wished = language >= 0
    matrix[rows[wished], _F_LANGUAGE + language[wished]] = units[wished, LANGUAGE]
    for criterion, (field, _, _) in EQUALITY_CRITERIA.items():
        values = getattr(requests, field).astype(np.int64)
        wished = values > 0
        offset = _EQUALITY_OFFSETS[criterion]
        matrix[rows[wished], offset + values[wished] - 1] = units[wished, criterion]
    municipality = requests.municipality.astype(np.int64)
    known = municipality >= 0
    remote = wants_remote(requests)
    area = units[:, AREA]
    # covered OR remote  ==  covered + remote - (covered AND remote)
    matrix[rows[known], _F_MUNICIPALITY + municipality[known]] = area[known]
    matrix[remote, _F_REMOTE] = area[remote]
    both = known & remote
    matrix[rows[both], _F_MUNICIPALITY_REMOTE + municipality[both]] = -area[both]
    return matrix


class BlockScorer:
    """Scores and hard constraints of blocks of requests against a fixed set of peers.

    ``peer_index`` selects the peers (default: all). ``check_programme`` / ``check_capacity``
    can be switched off when the caller already restricted the peers to those in the block's
    programme and with room. Blocks are independent, so several may be scored in threads
    (NumPy releases the GIL).
    """

    def __init__(
        self,
        requests: RequestFeatures,
        peers: PeerFeatures,
        weights=None,
        exclusions=None,
        *,
        peer_index: np.ndarray | None = None,
        check_programme: bool = True,
        check_capacity: bool = True,
        units: RequestUnits | None = None,
    ) -> None:
        exclusions = validate_exclusions(exclusions, len(requests), len(peers))
        if peer_index is None:
            peer_index = np.arange(len(peers))
        peer_index = np.asarray(peer_index, dtype=np.int64)
        self.requests = requests
        self.peer_index = peer_index
        self.peers = peers.take(peer_index)
        self.m = len(peer_index)
        self.units = request_units(requests, weights) if units is None else units
        self.peer_matrix = peer_feature_matrix(self.peers)
        self.free = 1.0 - self.peers.load.astype(np.float64)  # the load criterion's similarity
        self._free32 = self.free.astype(np.float32)
        self.check_programme = check_programme
        self.check_capacity = check_capacity
        # Exclusions restricted to these peers, in local peer positions, sorted by request.
        local = np.full(len(peers), -1, dtype=np.int64)
        local[peer_index] = np.arange(self.m)
        columns = local[exclusions[:, 1]]
        keep = columns >= 0
        order = np.argsort(exclusions[keep, 0], kind="stable")
        self._excluded_requests = exclusions[keep, 0][order]
        self._excluded_columns = columns[keep][order]
        # Peers whose age range might exclude somebody, and the programme membership table.
        self._min_age = self.peers.min_age.astype(np.int64)
        self._max_age = self.peers.max_age.astype(np.int64)
        self._full = self.peers.capacity <= 0
        if check_programme:
            self._in_programme = _bits(self.peers.programmes, N_PROGRAMMES).T.astype(bool)

    def numerators(self, rows: np.ndarray) -> tuple[np.ndarray, RequestUnits]:
        """The integer numerators N (float32 (len(rows), m), exact: sums of integers below
        2**24 in any order) of the requests at ``rows``, and those requests' units."""
        rows = np.asarray(rows, dtype=np.int64)
        units = self.units.take(rows)
        q = request_feature_matrix(self.requests.take(rows), units.units)
        active = np.flatnonzero(q.any(axis=0))
        if active.size == 0:
            return np.zeros((rows.size, self.m), dtype=np.float32), units
        return q[:, active] @ self.peer_matrix[active], units

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), m) float64 scores of the requests at ``rows`` (all pairs)."""
        return self.finish(*self.numerators(rows))

    def finish(self, numerators: np.ndarray, units: RequestUnits) -> np.ndarray:
        """Scores from numerators: ``scale * N + load_weight * (1 - load)`` in float64,
        rounded to a multiple of SCORE_QUANTUM.

        Elementwise IEEE operations in a fixed order, so a pair's score has the same bits
        whichever block it was computed in (``finish_at`` gives the same bits too). The
        rounding makes scores that are equal as fractions (say 100 * 3/6 and 100 * 2/4) equal
        as floats too, so that ties are broken by index, not by rounding noise.
        """
        scores = np.empty(numerators.shape, dtype=np.float64)
        np.multiply(numerators, units.scale[:, None], out=scores)
        if units.load_weight.any():
            scores += units.load_weight[:, None] * self.free[None, :]
        return _quantise(scores)

    def finish_at(
        self, numerators: np.ndarray, units: RequestUnits, rows: np.ndarray, columns: np.ndarray
    ) -> np.ndarray:
        """The float64 scores (same bits as ``finish``) of the block positions given."""
        scores = numerators[rows, columns].astype(np.float64) * units.scale[rows]
        scores += units.load_weight[rows] * self.free[columns]
        return _quantise(scores)

    def approximate(self, numerators: np.ndarray, units: RequestUnits) -> np.ndarray:
        """float32 scores, within 1e-4 of the exact ones: for cheap selection passes."""
        scores = numerators * units.scale.astype(np.float32)[:, None]
        if units.load_weight.any():
            scores += units.load_weight.astype(np.float32)[:, None] * self._free32[None, :]
        return scores

    def forbidden(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), m) bool: True where some hard constraint fails."""
        rows = np.asarray(rows, dtype=np.int64)
        block = self.requests.take(rows)
        if self.check_programme:
            forbidden = ~self._in_programme[block.programme]
        else:
            forbidden = np.zeros((len(rows), self.m), dtype=bool)
        if self.check_capacity and self._full.any():
            forbidden[:, self._full] = True
        self._forbid_age(block, forbidden)
        self._forbid_musts(block, forbidden)
        self._forbid_exclusions(rows, forbidden)
        return forbidden

    def _forbid_age(self, block: RequestFeatures, forbidden: np.ndarray) -> None:
        age = block.age.astype(np.int64)
        known = np.flatnonzero(age >= 0)
        if known.size == 0 or self.m == 0:
            return
        youngest, oldest = age[known].min(), age[known].max()
        restrictive = np.flatnonzero((self._min_age > youngest) | (self._max_age < oldest))
        if restrictive.size == 0:
            return
        ranges = (self._min_age[restrictive] + 32768) * 65536 + (self._max_age[restrictive] + 32768)
        distinct, group = np.unique(ranges, return_inverse=True)
        if distinct.size <= 64:
            # Few distinct ranges (the usual case): mark whole rectangles of violations.
            order = np.argsort(group, kind="stable")
            bounds = np.searchsorted(group[order], np.arange(distinct.size + 1))
            for k, key in enumerate(distinct):
                low, high = key // 65536 - 32768, key % 65536 - 32768
                outside = known[(age[known] < low) | (age[known] > high)]
                if outside.size:
                    columns = restrictive[order[bounds[k] : bounds[k + 1]]]
                    forbidden[np.ix_(outside, columns)] = True
            return
        ages = age[known][:, None]
        outside = (ages < self._min_age[restrictive][None, :]) | (
            ages > self._max_age[restrictive][None, :]
        )
        if restrictive.size == self.m:
            forbidden[known] |= outside
        else:
            forbidden[np.ix_(known, restrictive)] |= outside

    def _forbid_musts(self, block: RequestFeatures, forbidden: np.ndarray) -> None:
        musts = block.musts
        if not musts.any():
            return
        applicable = applicable_criteria(block)
        peers = self.peers
        for criterion in range(N_CRITERIA):
            rows = np.flatnonzero((musts >> criterion) & 1)
            if rows.size == 0:
                continue
            unmet_rows = rows[~applicable[rows, criterion]]
            forbidden[unmet_rows] = True
            rows = rows[applicable[rows, criterion]]
            if rows.size == 0:
                continue
            if criterion in BITMASK_CRITERIA:
                request_field, peer_field, _ = BITMASK_CRITERIA[criterion]
                wished = getattr(block, request_field)[rows]
                met = (wished[:, None] & getattr(peers, peer_field)[None, :]) != 0
            elif criterion in EQUALITY_CRITERIA:
                request_field, peer_field, _ = EQUALITY_CRITERIA[criterion]
                wished = getattr(block, request_field)[rows]
                met = wished[:, None] == getattr(peers, peer_field)[None, :]
            elif criterion == LANGUAGE:
                language = block.language.astype(np.int64)[rows][:, None]
                met = has_bit(peers.languages[None, :], language)
            elif criterion == AREA:
                sub = block.take(rows)
                met = covers(sub, peers) | (wants_remote(sub)[:, None] & peers.remote[None, :])
            else:  # load: 1 - load > 0
                met = np.broadcast_to(peers.load.astype(np.float64) < 1.0, (rows.size, self.m))
            forbidden[rows] |= ~met

    def _forbid_exclusions(self, rows: np.ndarray, forbidden: np.ndarray) -> None:
        if self._excluded_requests.size == 0 or rows.size == 0:
            return
        position = np.searchsorted(rows, self._excluded_requests) if _is_sorted(rows) else None
        if position is not None:
            position = np.minimum(position, rows.size - 1)
            hit = rows[position] == self._excluded_requests
            forbidden[position[hit], self._excluded_columns[hit]] = True
            return
        order = np.argsort(rows, kind="stable")
        sorted_rows = rows[order]
        position = np.minimum(np.searchsorted(sorted_rows, self._excluded_requests), rows.size - 1)
        hit = sorted_rows[position] == self._excluded_requests
        forbidden[order[position[hit]], self._excluded_columns[hit]] = True


def _is_sorted(values: np.ndarray) -> bool:
    return bool(values.size < 2 or (values[1:] > values[:-1]).all())


def _block_rows(n: int, m: int, block_size: int | None) -> int:
    """Rows per block: ``block_size`` if given, else about 4M pairs per block."""
    if block_size is not None:
        if block_size < 1:
            raise ValueError("block_size must be at least 1")
        return block_size
    return max(16, min(max(n, 1), (1 << 22) // max(m, 1)))


def score_matrix(
    requests: RequestFeatures,
    peers: PeerFeatures,
    weights=None,
    exclusions=None,
    *,
    block_size: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Scores (float64 (n, m), 0..100) of every pair and whether it is allowed (bool (n, m)).

    Equal to ``reference_scores`` to rounding and to the AND of ``constraint_masks`` exactly.
    ``weights``: see ``weights_table`` (one set, or one per programme index).
    """
    n, m = len(requests), len(peers)
    scorer = BlockScorer(requests, peers, weights, exclusions)
    scores = np.empty((n, m), dtype=np.float64)
    allowed = np.empty((n, m), dtype=bool)
    step = _block_rows(n, m, block_size)
    for start in range(0, n, step):
        rows = np.arange(start, min(n, start + step))
        scores[start : start + rows.size] = scorer.scores(rows)
        allowed[start : start + rows.size] = ~scorer.forbidden(rows)
    return scores, allowed
