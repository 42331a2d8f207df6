import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from brobyg.reports.statistics import (
    ALL_ZERO,
    LOWER,
    NO_RELIABILITY,
    NO_THRESHOLD,
    NO_VARIATION,
    TOO_FEW,
    dz_interval,
    paired_change,
    quantile_days,
)

T1 = [10, 12, 9, 15, 11]
T2 = [13, 14, 9, 18, 10]


def test_it_equals_scipy_paired_t_test_and_wilcoxon():
    rng = np.random.default_rng(7)
    for n in (5, 12, 30, 51, 400):
        t1 = rng.normal(2, 0.7, n).round(2)
        t2 = (t1 + rng.normal(0.3, 0.5, n)).round(2)
        result = paired_change(t1, t2)
        reference_t = stats.ttest_rel(t2, t1)
        reference_w = stats.wilcoxon(t2 - t1)
        assert result.n_paired == n
        assert result.t_statistic == pytest.approx(reference_t.statistic, abs=1e-9)
        assert result.t_p == pytest.approx(reference_t.pvalue, abs=1e-9)
        assert result.wilcoxon_statistic == pytest.approx(reference_w.statistic, abs=1e-9)
        assert result.wilcoxon_p == pytest.approx(reference_w.pvalue, abs=1e-9)


def test_it_equals_scipy_wilcoxon_with_ties_and_zeros():
    # Discrete scores as the questionnaires give: ties and zero differences.
    t1 = [2, 3, 1, 4, 2, 2, 3, 1, 0, 2, 3, 4, 1, 2, 2, 3]
    t2 = [3, 3, 2, 4, 3, 1, 4, 3, 1, 2, 4, 4, 2, 3, 2, 4]
    d = np.array(t2, dtype=float) - np.array(t1, dtype=float)
    result = paired_change(t1, t2)
    reference = stats.wilcoxon(d)
    assert result.wilcoxon_p == pytest.approx(reference.pvalue, abs=1e-9)
    # Small n with ties goes through SciPy's exhaustive permutation test: still the same.
    small = paired_change(t1[:8], t2[:8])
    assert small.wilcoxon_p == pytest.approx(stats.wilcoxon(d[:8]).pvalue, abs=1e-9)


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


def test_it_computes_reliable_change_by_jacobson_and_truax():
    # s1 = sd([10, 12, 9, 15, 11]) = sqrt(21.2 / 4) = sqrt(5.3); r = 0.8.
    # SE = sqrt(5.3) · sqrt(0.2) = sqrt(1.06); S_diff = sqrt(2) · SE = sqrt(2.12);
    # criterion 1.96 · sqrt(2.12) = 2.8538030766...: changes 3 and 3 are reliable, 2, 0, -1 not.
    result = paired_change(T1, T2, reliability=0.8)
    reliable = result.reliable
    assert reliable.se == pytest.approx(math.sqrt(1.06), abs=1e-9)
    assert reliable.s_diff == pytest.approx(math.sqrt(2.12), abs=1e-9)
    assert reliable.criterion == pytest.approx(1.96 * math.sqrt(2.12), abs=1e-9)
    assert (reliable.improved, reliable.unchanged, reliable.deteriorated) == (2, 3, 0)
    assert reliable.shares == pytest.approx((0.4, 0.6, 0.0), abs=1e-9)
    # Where lower is better, the same changes are reliable deteriorations.
    lower = paired_change(T1, T2, reliability=0.8, better=LOWER).reliable
    assert (lower.improved, lower.unchanged, lower.deteriorated) == (0, 3, 2)


def test_it_uses_a_published_standard_error_of_measurement():
    # SWEMWBS publishes SEM 1.03: S_diff = sqrt(2) · 1.03, criterion 2.8550... points.
    reliable = paired_change([20, 22, 25], [24, 22, 21], sem=1.03).reliable
    assert reliable.source == "sem"
    assert reliable.criterion == pytest.approx(1.96 * math.sqrt(2) * 1.03, abs=1e-9)
    assert (reliable.improved, reliable.unchanged, reliable.deteriorated) == (1, 1, 1)


def test_it_counts_meaningful_change_at_the_threshold():
    result = paired_change([40, 40, 40, 40], [50, 49.99, 30, 40], meaningful=10)
    assert result.meaningful.improved == 1
    assert result.meaningful.deteriorated == 1
    assert result.meaningful.neither == 2


def test_it_says_what_is_unknown():
    result = paired_change(T1, T2)
    assert result.reliable is None and result.meaningful is None
    assert NO_RELIABILITY in result.not_computable
    assert NO_THRESHOLD in result.not_computable


def test_it_gives_an_exact_dz_interval_from_the_noncentral_t():
    n, dz = 5, 1.4 / math.sqrt(3.3)
    low, high, method = dz_interval(dz, n)
    assert method == "noncentral_t"
    t_observed = dz * math.sqrt(n)
    assert stats.nct.cdf(t_observed, n - 1, low * math.sqrt(n)) == pytest.approx(0.975, abs=1e-9)
    assert stats.nct.cdf(t_observed, n - 1, high * math.sqrt(n)) == pytest.approx(0.025, abs=1e-9)
    assert low < dz < high


def test_it_falls_back_to_the_normal_approximation_only_when_needed():
    low, high, method = dz_interval(0.4, 100_000)
    se = math.sqrt(1 / 100_000 + 0.16 / 200_000)
    if method == "normal":
        assert low == pytest.approx(0.4 - 1.959963984540054 * se, abs=1e-9)
    else:
        # The exact interval is then practically the normal one.
        assert low == pytest.approx(0.4 - 1.96 * se, abs=1e-4)
        assert high == pytest.approx(0.4 + 1.96 * se, abs=1e-4)


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
    assert result.wilcoxon_p == pytest.approx(stats.wilcoxon([1.0] * 6).pvalue, abs=1e-9)


def test_it_gives_quantiles_of_waiting_days():
    assert quantile_days([], 0.5) is None
    assert quantile_days([1, 2, 3, 10], 0.5) == 2.5
    assert quantile_days(range(11), 0.9) == pytest.approx(9.0)


scores = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 16).map(lambda v: v / 4)),
        st.one_of(st.none(), st.integers(0, 16).map(lambda v: v / 4)),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(scores, st.floats(0.5, 0.95), st.sampled_from(["higher", "lower"]))
def test_it_holds_its_properties(pairs, reliability, better):
    t1 = [first for first, _second in pairs]
    t2 = [second for _first, second in pairs]
    result = paired_change(t1, t2, reliability=reliability, meaningful=1.0, better=better)
    paired = [(a, b) for a, b in pairs if a is not None and b is not None]
    assert result.n_paired == len(paired)
    assert result.n_t1 == sum(a is not None for a in t1)
    assert result.n_t2 == sum(b is not None for b in t2)
    for value in vars(result).values():
        if isinstance(value, float):
            assert math.isfinite(value)
    if not paired:
        assert result.mean_change is None
        return
    assert result.mean_change == pytest.approx(result.mean_t2 - result.mean_t1, abs=1e-9)
    if result.ci_low is not None:
        assert result.ci_low <= result.mean_change <= result.ci_high
        assert result.dz_low <= result.dz <= result.dz_high
        swapped = paired_change(t2, t1)
        assert swapped.dz == pytest.approx(-result.dz, abs=1e-9)
        assert swapped.t_p == pytest.approx(result.t_p, abs=1e-9)
    if result.reliable is not None:
        reliable = result.reliable
        assert reliable.improved + reliable.unchanged + reliable.deteriorated == len(paired)
    meaningful = result.meaningful
    assert meaningful.improved + meaningful.deteriorated <= len(paired)
