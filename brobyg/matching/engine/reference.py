"""Criteria, weights and the reference scoring: the definitions written as they read, for
explanations and for tests on small inputs (see ``scoring`` for the whole design)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .features import (
    CRITERIA,
    CRITERION_INDEX,
    DEFAULT_WEIGHTS,
    MAX_WEIGHT,
    MIN_WEIGHT,
    N_AVAILABILITY_BITS,
    N_CRITERIA,
    N_EXPERIENCE_BITS,
    N_FORM_BITS,
    N_PROGRAMMES,
    N_PURPOSE_BITS,
    REMOTE_FORMS,
    PeerFeatures,
    RequestFeatures,
    validate_exclusions,
)

EXPERIENCE = CRITERION_INDEX["shared_experience"]
PURPOSES = CRITERION_INDEX["purposes"]
FORM = CRITERION_INDEX["form"]
AVAILABILITY = CRITERION_INDEX["availability"]
AREA = CRITERION_INDEX["area"]
LANGUAGE = CRITERION_INDEX["language"]
PEER_TYPE = CRITERION_INDEX["peer_type"]
GENDER = CRITERION_INDEX["gender"]
AGE = CRITERION_INDEX["age"]
LOAD = CRITERION_INDEX["load"]

# Criteria whose similarity is popcount(request & peer) / popcount(request):
# criterion -> (request field, peer field, number of bits).
BITMASK_CRITERIA = {
    EXPERIENCE: ("experience", "experience", N_EXPERIENCE_BITS),
    PURPOSES: ("purposes", "strengths", N_PURPOSE_BITS),
    FORM: ("forms", "forms", N_FORM_BITS),
    AVAILABILITY: ("availability", "availability", N_AVAILABILITY_BITS),
}
# Criteria whose similarity is request value == peer value (request 0 = no wish):
# criterion -> (request field, peer field, number of non-zero values).
EQUALITY_CRITERIA = {
    PEER_TYPE: ("peer_type", "kind", 2),
    GENDER: ("gender", "gender", 3),
    AGE: ("age_band", "age_band", 3),
}

CONSTRAINT_NAMES = (
    "programme",
    "capacity",
    "age",
    *(f"must_{name}" for name in CRITERIA),
    "exclusion",
)


# --------------------------------------------------------------------------------------------
# Weights


def weights_vector(weights: Mapping[str, int] | None = None) -> np.ndarray:
    """The weights as a float64 vector in CRITERIA order; missing criteria get the default.

    Raises ValueError on an unknown criterion or a weight that is not an integer in 0..10.
    """
    vector = np.array([DEFAULT_WEIGHTS[name] for name in CRITERIA], dtype=np.float64)
    if weights is None:
        return vector
    if not isinstance(weights, Mapping):
        raise ValueError(f"weights must be a mapping of criterion to weight, got {type(weights)}")
    unknown = sorted(str(key) for key in weights if key not in CRITERION_INDEX)
    if unknown:
        raise ValueError(
            f"unknown matching criteria in weights: {', '.join(unknown)} "
            f"(known: {', '.join(CRITERIA)})"
        )
    for name, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"weight of {name!r} must be an integer, got {value!r}")
        if not MIN_WEIGHT <= value <= MAX_WEIGHT:
            raise ValueError(
                f"weight of {name!r} must be between {MIN_WEIGHT} and {MAX_WEIGHT}, got {value}"
            )
        vector[CRITERION_INDEX[name]] = float(value)
    return vector


def weights_table(weights) -> np.ndarray:
    """Weights per programme index as a float64 array of shape (N_PROGRAMMES, len(CRITERIA)).

    ``weights`` is either one set for every programme (a mapping of criterion to weight, or
    None for the defaults) or a mapping of programme index (int) to such a set; programmes it
    does not name get the defaults.
    """
    if (
        isinstance(weights, Mapping)
        and weights
        and all(isinstance(key, int | np.integer) and not isinstance(key, bool) for key in weights)
    ):
        table = np.tile(weights_vector(None), (N_PROGRAMMES, 1))
        for programme, programme_weights in weights.items():
            if not 0 <= programme < N_PROGRAMMES:
                raise ValueError(f"programme index {programme} out of range 0..{N_PROGRAMMES - 1}")
            table[programme] = weights_vector(programme_weights)
        return table
    return np.tile(weights_vector(weights), (N_PROGRAMMES, 1))


# --------------------------------------------------------------------------------------------
# Reference


def wants_remote(requests: RequestFeatures) -> np.ndarray:
    return (requests.forms & REMOTE_FORMS) != 0


def has_bit(words: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``words`` (uint64, any shape) bit ``index`` (broadcast), False where index < 0."""
    safe = np.where(index >= 0, index, 0).astype(np.uint64)
    return ((words >> safe) & np.uint64(1)).astype(bool) & (index >= 0)


def covers(requests: RequestFeatures, peers: PeerFeatures) -> np.ndarray:
    """(n, m) bool: the peer covers the request's municipality (False if unknown)."""
    municipality = requests.municipality.astype(np.int64)
    known = municipality >= 0
    words = peers.areas[:, np.where(known, municipality // 64, 0)].T  # (n, m)
    return has_bit(words, np.where(known, municipality % 64, -1)[:, None])


def applicable_criteria(requests: RequestFeatures) -> np.ndarray:
    """(n, len(CRITERIA)) bool: which criteria apply to each request."""
    applicable = np.zeros((len(requests), N_CRITERIA), dtype=bool)
    for criterion, (field, _, _) in BITMASK_CRITERIA.items():
        applicable[:, criterion] = getattr(requests, field) != 0
    applicable[:, AREA] = (requests.municipality >= 0) | wants_remote(requests)
    applicable[:, LANGUAGE] = requests.language >= 0
    for criterion, (field, _, _) in EQUALITY_CRITERIA.items():
        applicable[:, criterion] = getattr(requests, field) != 0
    applicable[:, LOAD] = True
    return applicable


def components(requests: RequestFeatures, peers: PeerFeatures) -> tuple[np.ndarray, np.ndarray]:
    """The reference criteria of every pair.

    Returns ``applicable`` (bool, (n, len(CRITERIA))) and ``similarity`` (float64,
    (n, m, len(CRITERIA))); a criterion that does not apply has similarity 0 (except ``load``,
    which always applies: ``1 - load`` with the peer's float32 load widened to float64).
    """
    n, m = len(requests), len(peers)
    applicable = applicable_criteria(requests)
    similarity = np.zeros((n, m, N_CRITERIA), dtype=np.float64)
    for criterion, (request_field, peer_field, _) in BITMASK_CRITERIA.items():
        wished = getattr(requests, request_field)
        offered = getattr(peers, peer_field)
        shared = np.bitwise_count(wished[:, None] & offered[None, :]).astype(np.float64)
        total = np.bitwise_count(wished).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            similarity[:, :, criterion] = np.where(total[:, None] > 0, shared / total[:, None], 0.0)
    covered = covers(requests, peers)
    remote = wants_remote(requests)[:, None] & peers.remote[None, :]
    similarity[:, :, AREA] = (covered | remote).astype(np.float64)
    language = requests.language.astype(np.int64)[:, None]
    similarity[:, :, LANGUAGE] = has_bit(peers.languages[None, :], language).astype(np.float64)
    for criterion, (request_field, peer_field, _) in EQUALITY_CRITERIA.items():
        wished = getattr(requests, request_field)
        offered = getattr(peers, peer_field)
        similarity[:, :, criterion] = (
            (wished[:, None] == offered[None, :]) & (wished[:, None] != 0)
        ).astype(np.float64)
    similarity[:, :, LOAD] = 1.0 - peers.load.astype(np.float64)[None, :]
    return applicable, similarity


def reference_scores(requests: RequestFeatures, peers: PeerFeatures, weights=None) -> np.ndarray:
    """(n, m) float64 scores computed from ``components`` as the definition reads."""
    applicable, similarity = components(requests, peers)
    table = weights_table(weights)
    w = table[requests.programme] * applicable  # (n, C)
    total = w.sum(axis=1)
    weighted = (similarity * w[:, None, :]).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total[:, None] > 0, 100.0 * weighted / total[:, None], 0.0)


def constraint_masks(
    requests: RequestFeatures, peers: PeerFeatures, exclusions=None
) -> dict[str, np.ndarray]:
    """Each hard constraint as an (n, m) bool array, True where it holds.

    Keys, in this order: "programme", "capacity", "age", "must_<criterion>" (one per
    criterion, in CRITERIA order), "exclusion". A pair is allowed iff all of them hold.
    """
    n, m = len(requests), len(peers)
    exclusions = validate_exclusions(exclusions, n, m)
    programme = requests.programme.astype(np.int64)[:, None]
    masks = {"programme": has_bit(peers.programmes[None, :], programme)}
    masks["capacity"] = np.broadcast_to(peers.capacity[None, :] > 0, (n, m)).copy()
    age = requests.age[:, None]
    masks["age"] = (age < 0) | ((peers.min_age[None, :] <= age) & (age <= peers.max_age[None, :]))
    applicable, similarity = components(requests, peers)
    for criterion, name in enumerate(CRITERIA):
        must = ((requests.musts >> criterion) & 1).astype(bool)[:, None]
        met = applicable[:, criterion][:, None] & (similarity[:, :, criterion] > 0)
        masks[f"must_{name}"] = ~must | met
    excluded = np.ones((n, m), dtype=bool)
    excluded[exclusions[:, 0], exclusions[:, 1]] = False
    masks["exclusion"] = excluded
    return masks


def reference_allowed(requests: RequestFeatures, peers: PeerFeatures, exclusions=None):
    """(n, m) bool: every hard constraint holds (the AND of ``constraint_masks``)."""
    allowed = np.ones((len(requests), len(peers)), dtype=bool)
    for mask in constraint_masks(requests, peers, exclusions).values():
        allowed &= mask
    return allowed
