"""The statistics against an independent computation written here: exact fractions for means,
ties, ranks, sums of squares and counts; an exhaustive (integer) signed-rank distribution; SciPy
with the documented choices where the normal approximation is used; mpmath for the noncentral t
behind Cohen's dz interval. Data are drawn on the score grids the shipped instruments give,
decimals and prorated totals included, heavy in ties and zero changes."""

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from brobyg.reports.statistics import (
    ALL_ZERO,
    EXACT,
    LOWER,
    NO_RELIABILITY,
    NO_SPREAD,
    NO_THRESHOLD,
    NO_VARIATION,
    NORMAL,
    REFERENCE_SD_BELOW,
    TOO_FEW,
    WILCOXON_EXACT_MAX,
    dz_interval,
    paired_change,
    quantile_days,
)

T1 = [10, 12, 9, 15, 11]
T2 = [13, 14, 9, 18, 10]


# The score grids of the shipped instruments, as exact fractions of the stored two decimals.


def _two_decimals(value: Fraction) -> Fraction:
    return Fraction(round(value * 100), 100)


def _mean_grid(items: int, low: int, high: int, *, allowed_missing: int, times=1) -> set:
    """Means of ``items`` items (prorated when up to ``allowed_missing`` are missing)."""
    grid = set()
    for answered in range(items - allowed_missing, items + 1):
        for total in range(low * answered, high * answered + 1):
            grid.add(_two_decimals(Fraction(total, answered) * times))
    return grid


def _sum_grid(items: int, low: int, high: int, *, allowed_missing: int, times=1) -> set:
    return {
        _two_decimals(value * items)
        for value in _mean_grid(items, low, high, allowed_missing=allowed_missing, times=times)
    }


# An invented SWEMWBS-like metric table: decimals, irregular steps (the licensed table is not
# shipped).
SWEMWBS_METRIC = {
    _two_decimals(Fraction(7) + 28 * Fraction(round(((raw - 7) / 28) ** 0.9 * 10**6), 10**6))
    for raw in range(7, 36)
}
GRIDS = {
    # CHIME: total mean of 12 items (2 may be missing), domains of 2 and 3 items (0-4).
    "chime-total": sorted(_mean_grid(12, 0, 4, allowed_missing=2)),
    "chime-two": sorted(_mean_grid(2, 0, 4, allowed_missing=0)),
    "chime-three": sorted(_mean_grid(3, 0, 4, allowed_missing=0)),
    "who-5": sorted(Fraction(4 * value) for value in range(26)),
    "swemwbs": sorted(SWEMWBS_METRIC),
    # QPR-15: sum of 15 items 0-4, prorated when up to 3 are missing.
    "qpr-15": sorted(_sum_grid(15, 0, 4, allowed_missing=3)),
    # Brief INSPIRE-O: mean of 5 items 0-4 times 25, prorated when one is missing.
    "brief-inspire-o": sorted(_mean_grid(5, 0, 4, allowed_missing=1, times=25)),
}


@st.composite
def paired_scores(draw, max_size=60):
    """(grid name, list of (t1, t2) as Fractions or None), tie- and zero-heavy."""
    name = draw(st.sampled_from(sorted(GRIDS)))
    grid = GRIDS[name]
    # A few values only (ties), sometimes the whole grid.
    if draw(st.booleans()):
        values = draw(st.lists(st.sampled_from(grid), min_size=1, max_size=6, unique=True))
    else:
        values = grid
    score = st.sampled_from(values)
    pairs = []
    for _number in range(draw(st.integers(0, max_size))):
        first = draw(st.one_of(st.none(), score, score, score))
        kind = draw(st.sampled_from(["same", "other", "other", "none"]))
        second = {"same": first, "none": None}.get(kind) or draw(score)
        if kind == "same" and first is None:
            second = draw(score)
        pairs.append((first, second))
    return name, pairs


def _floats(values):
    return [None if value is None else float(value) for value in values]


# The independent computation.


def _midranks(magnitudes: list[Fraction]) -> list[Fraction]:
    order = sorted(range(len(magnitudes)), key=lambda index: magnitudes[index])
    ranks = [Fraction(0)] * len(magnitudes)
    position = 0
    while position < len(order):
        end = position
        while end + 1 < len(order) and magnitudes[order[end + 1]] == magnitudes[order[position]]:
            end += 1
        for index in order[position : end + 1]:
            ranks[index] = Fraction(position + 1 + end + 1, 2)
        position = end + 1
    return ranks


def exact_signed_rank_p(differences: list[Fraction]) -> Fraction:
    """Two-sided p of T+ from its exact conditional distribution, counted with integers: the
    generating polynomial Π(1 + x^(2·rank)) is held in one big integer, each coefficient in
    ``width`` bits, and a tail's count is its chunks' sum (modulo 2^width - 1)."""
    nonzero = [value for value in differences if value != 0]
    doubled = [int(2 * rank) for rank in _midranks([abs(value) for value in nonzero])]
    plus = sum(rank for rank, value in zip(doubled, nonzero, strict=True) if value > 0)
    width = len(doubled) + 2  # every coefficient is below 2^m
    polynomial = 1
    for rank in doubled:
        polynomial += polynomial << (rank * width)
    modulus = (1 << width) - 1
    below = (polynomial & ((1 << ((plus + 1) * width)) - 1)) % modulus
    above = (polynomial >> (plus * width)) % modulus
    everything = 2 ** len(doubled)
    return min(Fraction(1), 2 * Fraction(min(below, above), everything))


def reference(pairs, *, r=None, sd=None, threshold=None, better="higher"):
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    n = len(both)
    figures = {"n": n}
    if not n:
        return figures
    d = [b - a for a, b in both]
    mean = sum(d) / n
    figures.update(
        mean_t1=sum(a for a, _b in both) / n, mean_t2=sum(b for _a, b in both) / n, mean=mean
    )
    sign = 1 if better == "higher" else -1
    if threshold is not None:
        figures["mc"] = (
            sum(sign * value >= threshold for value in d),
            sum(sign * value <= -threshold for value in d),
        )
    if n >= 2:
        ss = sum((value - mean) ** 2 for value in d)
        figures["everyone_equal"] = ss == 0
        if ss:
            sd_d = math.sqrt(ss / (n - 1))
            t = float(mean) / (sd_d / math.sqrt(n))
            half = stats.t.ppf(0.975, n - 1) * sd_d / math.sqrt(n)
            figures.update(
                sd=sd_d,
                t=t,
                p=2 * stats.t.sf(abs(t), n - 1),
                ci=(float(mean) - half, float(mean) + half),
                dz=float(mean) / sd_d,
            )
        if any(d):
            figures["w_p"] = exact_signed_rank_p(d)
        if r is not None:
            start = [a for a, _b in both]
            start_mean = sum(start) / n
            sd_squared = (
                sd**2 if sd is not None else sum((a - start_mean) ** 2 for a in start) / (n - 1)
            )
            if sd_squared:
                bound = Fraction("1.96") ** 2 * 2 * sd_squared * (1 - r)
                figures["reliable"] = (
                    sum(value * value > bound and sign * value > 0 for value in d),
                    sum(value * value > bound and sign * value < 0 for value in d),
                )
    return figures


def close(value, expected, tolerance=1e-9):
    return value == pytest.approx(float(expected), abs=tolerance, rel=tolerance)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paired_scores(),
    st.sampled_from([Fraction("0.74"), Fraction("0.89"), Fraction("0.5")]),
    st.sampled_from(["higher", "lower"]),
)
def test_every_figure_equals_the_independent_computation(data, r, better):
    name, pairs = data
    threshold = {"who-5": 10, "swemwbs": 3, "brief-inspire-o": 8}.get(name, Fraction(1, 2))
    t1 = _floats(a for a, _b in pairs)
    t2 = _floats(b for _a, b in pairs)
    result = paired_change(t1, t2, reliability=float(r), meaningful=threshold, better=better)
    expected = reference(pairs, r=r, threshold=threshold, better=better)
    assert result.n_paired == expected["n"]
    assert result.n_t1 == sum(a is not None for a, _b in pairs)
    assert result.n_t2 == sum(b is not None for _a, b in pairs)
    for value in vars(result).values():
        if isinstance(value, float):
            assert math.isfinite(value)
    if not expected["n"]:
        assert result.mean_change is None and TOO_FEW in result.not_computable
        return
    assert close(result.mean_t1, expected["mean_t1"])
    assert close(result.mean_t2, expected["mean_t2"])
    assert close(result.mean_change, expected["mean"])
    meaningful = result.meaningful
    assert (meaningful.improved, meaningful.deteriorated) == expected["mc"]
    if expected["n"] < 2:
        assert TOO_FEW in result.not_computable
        return
    if expected["everyone_equal"]:
        assert NO_VARIATION in result.not_computable
        assert result.ci_low is None and result.t_p is None and result.dz is None
    else:
        assert NO_VARIATION not in result.not_computable
        assert close(result.sd_change, expected["sd"])
        assert close(result.t_statistic, expected["t"])
        assert close(result.t_p, expected["p"])
        assert close(result.ci_low, expected["ci"][0]) and close(result.ci_high, expected["ci"][1])
        assert close(result.dz, expected["dz"])
        assert result.dz_low <= result.dz <= result.dz_high
    if "w_p" in expected:
        assert result.wilcoxon_method == EXACT
        assert close(result.wilcoxon_p, expected["w_p"])
    else:
        assert ALL_ZERO in result.not_computable and result.wilcoxon_p is None
    if "reliable" in expected:
        reliable = result.reliable
        assert (reliable.improved, reliable.deteriorated) == expected["reliable"]
        assert reliable.criterion > 0
    else:
        assert result.reliable is None and NO_SPREAD in result.not_computable


def test_equal_decimal_changes_are_tied_and_zero_is_zero():
    # 0.67 - 0.42 and 0.42 - 0.17 are both 0.25: binary floats make them differ.
    assert 0.67 - 0.42 != 0.42 - 0.17
    result = paired_change([0.42, 0.17, 0.1, 0.2], [0.67, 0.42, 0.35, 0.45])
    assert NO_VARIATION in result.not_computable
    assert result.dz is None and result.ci_low is None and result.t_p is None
    # Zero changes on decimals are zero, so they are left out of the signed ranks.
    mixed = paired_change([0.1 + 0.2, 0.67, 0.42, 1.5], [0.3, 0.92, 0.17, 2.0])
    assert mixed.wilcoxon_p == pytest.approx(
        float(exact_signed_rank_p([Fraction(0), Fraction("0.25"), Fraction("-0.25"), 0.5])),
        abs=1e-12,
    )


@pytest.mark.parametrize("m", [WILCOXON_EXACT_MAX - 1, WILCOXON_EXACT_MAX, WILCOXON_EXACT_MAX + 1])
def test_the_signed_rank_method_changes_at_the_documented_bound(m):
    rng = np.random.default_rng(m)
    steps = rng.integers(-4, 7, size=m)
    steps[steps == 0] = 1  # m non-zero changes
    t1 = rng.integers(0, 13, size=m + 7) / 4
    d = np.concatenate([steps, np.zeros(7, dtype=int)])  # and some zeros, which are left out
    t2 = t1 + d / 4
    result = paired_change(t1, t2)
    if m <= WILCOXON_EXACT_MAX:
        assert result.wilcoxon_method == EXACT
        expected = exact_signed_rank_p([Fraction(int(value), 4) for value in d])
        assert result.wilcoxon_p == pytest.approx(float(expected), rel=1e-9, abs=1e-12)
    else:
        assert result.wilcoxon_method == NORMAL
        scipy = stats.wilcoxon(d, zero_method="wilcox", correction=False, method="approx")
        assert result.wilcoxon_p == pytest.approx(scipy.pvalue, rel=1e-9, abs=1e-12)
        assert result.wilcoxon_statistic == pytest.approx(scipy.statistic)


def test_the_exact_signed_rank_p_equals_scipys_exhaustive_permutation_test():
    d = np.array([2, -1, 3, 3, 0, -2, 1, 1, 4, 0, 2, -3])  # ties and zeros
    result = paired_change(np.zeros(d.size), d / 3)
    nonzero = d[d != 0]
    scipy = stats.wilcoxon(nonzero, method=stats.PermutationMethod(n_resamples=2**nonzero.size + 1))
    assert result.wilcoxon_p == pytest.approx(scipy.pvalue, abs=1e-12)


def test_it_computes_the_hand_worked_example():
    # d = [3, 2, 0, 3, -1]: mean 1.4, sum of squared deviations 13.2, sd = sqrt(13.2 / 4).
    result = paired_change(T1, T2)
    assert result.mean_t1 == pytest.approx(11.4, abs=1e-9)
    assert result.mean_t2 == pytest.approx(12.8, abs=1e-9)
    assert result.mean_change == pytest.approx(1.4, abs=1e-9)
    assert result.sd_change == pytest.approx(math.sqrt(3.3), abs=1e-9)
    assert result.dz == pytest.approx(1.4 / math.sqrt(3.3), abs=1e-9)
    # CI: 1.4 ± t(0.975, 4) · sqrt(3.3) / sqrt(5), t(0.975, 4) = 2.7764451051977987.
    half = 2.7764451051977987 * math.sqrt(3.3) / math.sqrt(5)
    assert result.ci_low == pytest.approx(1.4 - half, abs=1e-9)
    assert result.ci_high == pytest.approx(1.4 + half, abs=1e-9)
    assert result.t_p == pytest.approx(stats.ttest_rel(T2, T1).pvalue, abs=1e-12)
    # Signed ranks of 3, 2, 3, -1 (zero left out): 3.5, 2, 3.5, 1; T- = 1 of 16 sign patterns
    # gives T+ <= 1 or >= 9 in 2 + 2 of them: p = 4/16.
    assert result.wilcoxon_p == 0.25 and result.wilcoxon_method == EXACT


def test_it_computes_reliable_change_by_jacobson_and_truax():
    # s1 = sd([10, 12, 9, 15, 11]) = sqrt(5.3); r = 0.8: criterion 1.96 · sqrt(2 · 5.3 · 0.2).
    result = paired_change(T1, T2, reliability=0.8, r_kind="test_retest")
    reliable = result.reliable
    assert reliable.se == pytest.approx(math.sqrt(1.06), abs=1e-12)
    assert reliable.criterion == pytest.approx(1.96 * math.sqrt(2.12), abs=1e-12)
    assert (reliable.improved, reliable.unchanged, reliable.deteriorated) == (2, 3, 0)
    assert (reliable.r, reliable.r_kind, reliable.sd_source) == (0.8, "test_retest", "sample")
    lower = paired_change(T1, T2, reliability=0.8, better=LOWER).reliable
    assert (lower.improved, lower.unchanged, lower.deteriorated) == (0, 3, 2)


def test_a_published_sd_is_used_for_small_samples_only():
    small = paired_change(T1, T2, reliability=0.8, reference_sd=4.0).reliable
    assert small.sd_source == "reference" and small.sd == 4.0
    # 1.96 · sqrt(2 · 16 · 0.2) = 4.958: no change of 3 is reliable now.
    assert small.improved == 0
    n = REFERENCE_SD_BELOW
    big = paired_change(list(range(n)), [v + 1 for v in range(n)], reliability=0.8, reference_sd=4)
    assert big.reliable.sd_source == "sample"


def test_equal_start_scores_never_make_every_change_reliable():
    result = paired_change([3, 3, 3, 3, 3], [3.25, 2.75, 3.5, 3, 3], reliability=0.8)
    assert result.reliable is None and NO_SPREAD in result.not_computable
    published = paired_change(
        [3, 3, 3, 3, 3], [3.25, 2.75, 3.5, 3, 3], reliability=0.8, reference_sd=0.5
    )
    assert published.reliable.criterion > 0 and published.reliable.improved == 0


def test_it_uses_a_published_standard_error_of_measurement():
    reliable = paired_change([20, 22, 25], [24, 22, 21], sem=1.03).reliable
    assert reliable.source == "sem" and reliable.r is None
    assert reliable.criterion == pytest.approx(1.96 * math.sqrt(2) * 1.03, abs=1e-12)
    assert (reliable.improved, reliable.unchanged, reliable.deteriorated) == (1, 1, 1)


def test_it_counts_meaningful_change_at_the_threshold_exactly():
    result = paired_change([40, 40, 40, 40, 0.1], [50, 49.99, 30, 40, 10.1], meaningful=10)
    assert (result.meaningful.improved, result.meaningful.deteriorated) == (2, 1)


def test_it_says_what_is_unknown():
    result = paired_change(T1, T2)
    assert result.reliable is None and result.meaningful is None
    assert NO_RELIABILITY in result.not_computable
    assert NO_THRESHOLD in result.not_computable


def test_it_reports_missing_data_and_attrition():
    result = paired_change([1, 2, None, 3, float("nan")], [2, None, 3, 4, 1])
    assert (result.n_t1, result.n_t2, result.n_paired) == (3, 4, 2)


@pytest.mark.parametrize(
    ("t1", "t2", "reason"),
    [
        ([], [], TOO_FEW),
        ([2], [3], TOO_FEW),
        ([2, None], [None, 3], TOO_FEW),
        ([1, 2, 3], [2, 3, 4], NO_VARIATION),
        ([1, 2, 3], [1, 2, 3], ALL_ZERO),
    ],
)
def test_it_says_not_computable_instead_of_nan(t1, t2, reason):
    result = paired_change(t1, t2)
    assert reason in result.not_computable
    for name, value in vars(result).items():
        if isinstance(value, float):
            assert math.isfinite(value), name


def test_it_gives_the_signed_rank_test_when_everyone_changed_the_same():
    result = paired_change([1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7])
    assert result.dz is None and result.t_p is None
    assert result.wilcoxon_p == 2 / 64  # all six signs positive, or all negative


def test_it_gives_quantiles_of_waiting_days():
    assert quantile_days([], 0.5) is None
    assert quantile_days([1, 2, 3, 10], 0.5) == 2.5
    assert quantile_days(range(11), 0.9) == pytest.approx(9.0)


# Cohen's dz interval against mpmath.


def mp_nct_cdf(t, df, delta):
    """P(T <= t) for the noncentral t, as E[Φ(t·S - δ)] over S = √(χ²_df / df)."""
    t, delta, nu = mpmath.mpf(t), mpmath.mpf(delta), mpmath.mpf(df)
    log_constant = mpmath.log(2) + nu / 2 * mpmath.log(nu / 2) - mpmath.loggamma(nu / 2)

    def integrand(s):
        if s == 0:
            return mpmath.mpf(0)
        density = mpmath.exp(log_constant + (nu - 1) * mpmath.log(s) - nu * s * s / 2)
        return mpmath.ncdf(t * s - delta) * density

    spread = 1 / mpmath.sqrt(2 * nu)
    points = {mpmath.mpf(0), mpmath.mpf(1)}
    for k in (-12, -6, -3, -1, 1, 3, 6, 12):
        points.add(max(mpmath.mpf(0), 1 + k * spread))
    if t != 0 and delta / t > 0:
        points.add(delta / t)
    return mpmath.quad(integrand, [*sorted(points), mpmath.inf])


def mp_limit(t, df, target, start):
    with mpmath.workdps(25):
        root = mpmath.findroot(lambda delta: mp_nct_cdf(t, df, delta) - target, mpmath.mpf(start))
        return float(root)


@pytest.mark.parametrize(
    ("dz", "n"),
    [
        (1.4 / math.sqrt(3.3), 5),
        (5 / math.sqrt(6), 6),  # t = 5: the old code fell back to the normal approximation
        (2.5, 12),  # t ≈ 8.7
        (-0.3, 40),
        (0.4, 2000),
        (8.0, 4),  # t = 16 on 3 degrees of freedom: far tails
    ],
)
def test_the_dz_interval_equals_a_high_precision_reference(dz, n):
    low, high = dz_interval(dz, n)
    t = dz * math.sqrt(n)
    assert low == pytest.approx(
        mp_limit(t, n - 1, 0.975, low * math.sqrt(n)) / math.sqrt(n), abs=1e-9
    )
    assert high == pytest.approx(
        mp_limit(t, n - 1, 0.025, high * math.sqrt(n)) / math.sqrt(n), abs=1e-9
    )
    assert low < dz < high


@settings(max_examples=8, deadline=None)
@given(paired_scores(max_size=30))
def test_the_dz_interval_of_generated_data_equals_the_reference(data):
    _name, pairs = data
    result = paired_change(_floats(a for a, _b in pairs), _floats(b for _a, b in pairs))
    if result.dz is None:
        return
    n, t = result.n_paired, result.t_statistic
    for limit, target in ((result.dz_low, 0.975), (result.dz_high, 0.025)):
        reference_limit = mp_limit(t, n - 1, target, limit * math.sqrt(n)) / math.sqrt(n)
        assert limit == pytest.approx(reference_limit, abs=1e-9)


def test_the_dz_interval_says_when_it_cannot_be_found(monkeypatch):
    from brobyg.reports import statistics

    monkeypatch.setattr(statistics.special, "nctdtr", lambda df, delta, t: float("nan"))
    assert dz_interval(0.5, 10) is None
    result = paired_change(T1, T2)
    assert result.dz is not None and result.dz_low is None
    assert statistics.DZ_NO_INTERVAL in result.not_computable
