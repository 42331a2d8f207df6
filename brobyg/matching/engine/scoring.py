"""Criteria, hard constraints and scores of request x peer pairs.

Each criterion ``c`` has, for a pair, an *applicable* flag (a function of the request alone,
except ``load`` which always applies) and a similarity ``s_c`` in [0, 1]. The score of a pair is

    100 * sum(w_c * s_c) / sum(w_c)    over the applicable criteria (0 if that sum is 0)

so each request's scores are a "per cent fit" on 0..100. A pair is *allowed* when every hard
constraint holds (see ``constraint_masks``).

Two implementations:

* ``components`` / ``reference_scores`` / ``constraint_masks``: the reference, written as the
  definitions read; for explanations and tests on small inputs (it holds n x m x 10 floats).
* ``score_matrix`` and the block scorer ``BlockScorer`` behind it (also used by candidate
  generation). With D the request's sum of applicable weights and L the least common multiple
  of its popcounts, ``score = 100 / (D * L) * N + 100 * w_load / D * (1 - load)`` where the
  numerator ``N`` is an integer: a sum over the wished bits the peer shares of
  ``w_c * L / popcount`` and over the met yes/no criteria of ``w_c * L``. So N for a block of
  requests against the peers is one float32 matrix product ``Q @ P`` (``Q``: the requests'
  integer units at the features they wish; ``P``: the peers' 0/1 features). Every partial
  sum is an integer below 2**24, so the product is exact in any summation order; the rest are
  elementwise float64 operations in a fixed order. A pair's score therefore has the same bits
  whichever block or peer subset it was computed in, and agrees with the reference to
  rounding (~1e-13). The area criterion, an OR (municipality covered, or remote wished and
  offered), is written as ``covered + remote - covered * remote`` with one extra
  "municipality and remote" feature.
"""

from __future__ import annotations

from .fast import BlockScorer, request_units, score_matrix
from .reference import (
    components,
    constraint_masks,
    reference_allowed,
    reference_scores,
    weights_table,
    weights_vector,
)

__all__ = [
    "BlockScorer",
    "components",
    "constraint_masks",
    "reference_allowed",
    "reference_scores",
    "request_units",
    "score_matrix",
    "weights_table",
    "weights_vector",
]
