"""Paired change between two timepoints, with its uncertainty: NumPy and SciPy only, no Django.

One function, ``paired_change``, takes each person's score at the first timepoint (t1) and at the
second (t2), with ``None``/NaN where a person has no valid score there, and returns every figure
the evaluation report shows. Definitions (d = t2 - t1 for the people with both scores):

- **Exact arithmetic.** Every score is taken as the decimal number it is stored as (its shortest
  decimal form: a stored 0.67 is 67/100, not the binary float nearest to it) and all scores of a
  call are put on one integer grid (``exact_grid``: hundredths for scores with two decimals).
  Differences, zero differences, ties, ranks, sums and sums of squares are integers on that
  grid, and every decision (is a difference zero, are two tied, did everyone change equally,
  is a change reliable or at least the meaningful threshold) is made on them exactly. Floats
  appear only for the figures that are irrational or come from a distribution (square roots,
  quantiles, p-values), and in the returned figures.
- **n**: ``n_t1`` people with a score at t1, ``n_t2`` at t2, ``n_paired`` at both. Everything
  below uses the ``n_paired`` people only; the difference between the three is the attrition.
- **Means** of t1 and t2, and the **mean change** mean(d) with a ``CONFIDENCE`` interval from the
  t distribution: mean(d) ± t(0.975, n - 1) · sd(d) / √n, sd with ddof = 1.
- **Paired t-test**, two-sided: t = mean(d) / (sd(d) / √n) with n - 1 degrees of freedom
  (the same test as ``scipy.stats.ttest_rel``).
- **Everyone changed equally** (sd(d) = 0, decided exactly: n·Σd² = (Σd)²): no interval, t-test
  or dz (``NO_VARIATION``). The signed-rank test is still computed when the changes are not 0.
- **Wilcoxon signed-rank test**, two-sided (``WILCOXON_ZERO_METHOD`` = "wilcox": zero
  differences are dropped before ranking, Wilcoxon's rule; the m differences left are ranked by
  their absolute value, tied ones getting their mean rank, the midrank). T+ is the sum of the
  ranks of the positive differences. Its p-value is:

  - for m <= ``WILCOXON_EXACT_MAX`` (200): from the **exact conditional distribution** of T+
    given the midranks (Hollander, Wolfe & Chicken, *Nonparametric Statistical Methods*, 3rd
    ed., §3.1): each difference's sign is + or - with probability 1/2, so T+ is a sum of
    independent terms; the distribution is built by a dynamic programme over the doubled
    midranks (integers), in double precision, and p = min(1, 2 · min(P(T+ <= t), P(T+ >= t)));
  - above that: the **normal approximation with the tie correction**, without continuity
    correction: z = (T+ - m(m+1)/4) / √(m(m+1)(2m+1)/24 - Σ(t³ - t)/48), t the sizes of the tie
    groups, p = 2 · (1 - Φ(|z|)) (``scipy.stats.wilcoxon(d, zero_method="wilcox",
    correction=False, method="approx")``).

  ``wilcoxon_method`` says which ("exact" or "normal"); ``wilcoxon_statistic`` is min(T+, T-).
- **Cohen's dz** = mean(d) / sd(d, ddof = 1). Its interval is exact, by inverting the noncentral
  t distribution: t = dz·√n has a noncentral t distribution with n - 1 degrees of freedom and
  noncentrality δ = dz_true·√n; the limits are the δ for which ``scipy.special.nctdtr`` gives
  0.975 and 0.025, divided by √n. Each root is bracketed by stepping out from δ = t (the cdf
  falls as δ grows), every evaluation is checked (a NaN or infinite value is never used), and the
  root is found by Brent's method inside the bracket. When a limit cannot be found this way, the
  interval is ``None`` and ``DZ_NO_INTERVAL`` says so: there is no silent approximation.
- **Reliable change** (Jacobson & Truax 1991): SE = SD·√(1 - r), S_diff = √2·SE, and a change is
  reliable when |d| > 1.96·S_diff (decided exactly: d² > 1.96²·2·SD²·(1 - r), all rational).
  r is the instrument's test-retest reliability where its definition gives one, else its
  internal consistency (Cronbach's alpha; ``r_kind`` says which). SD is the instrument's published
  reference SD when the definition gives one and there are fewer than ``REFERENCE_SD_BELOW``
  pairs; else the SD (ddof = 1) of the paired people's t1 scores; when that is 0 (every start
  score equal), the published SD, or else no reliable change at all (``NO_SPREAD``): a
  criterion of 0 never makes every change reliable. Where the instrument publishes a standard
  error of measurement instead of a reliability, SE is that value. Improved or deteriorated by
  the instrument's direction (for some scales lower is better).
- **Meaningful change**: where the instrument defines a threshold (in points of the score), the
  numbers who changed by at least that much (exactly) for the better and for the worse.

Figures that cannot be computed are ``None`` with a reason code in ``not_computable``, never NaN.
"""

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from scipy import optimize, special, stats

CONFIDENCE = 0.95
RELIABLE_Z = Fraction("1.96")
WILCOXON_ZERO_METHOD = "wilcox"
WILCOXON_EXACT_MAX = 200  # non-zero differences; the normal approximation above
REFERENCE_SD_BELOW = 30  # pairs; fewer use the instrument's published reference SD

# Reasons a figure is missing.
TOO_FEW = "too_few"  # fewer than two pairs
NO_VARIATION = "no_variation"  # every difference is the same, so sd(d) = 0
ALL_ZERO = "all_zero"  # every difference is zero: the signed-rank test has nothing to rank
NO_RELIABILITY = "no_reliability"  # the instrument publishes no reliability
NO_SPREAD = "no_spread"  # every start score equal and no published SD: no reliable change
NO_THRESHOLD = "no_threshold"  # the instrument defines no meaningful change
DZ_NO_INTERVAL = "dz_no_interval"  # the noncentral t could not be inverted

HIGHER = "higher"
LOWER = "lower"
EXACT = "exact"
NORMAL = "normal"


@dataclass(frozen=True)
class ReliableChange:
    se: float
    s_diff: float
    criterion: float  # 1.96 · S_diff
    improved: int
    unchanged: int
    deteriorated: int
    n: int
    source: str  # "reliability" (SD·√(1-r)) or "sem" (published SE of measurement)
    r: float | None = None
    r_kind: str = ""  # "test_retest" or "internal_consistency"
    sd: float | None = None
    sd_source: str = ""  # "sample" (the start scores) or "reference" (published)

    @property
    def shares(self) -> tuple[float, float, float]:
        return (self.improved / self.n, self.unchanged / self.n, self.deteriorated / self.n)


@dataclass(frozen=True)
class MeaningfulChange:
    threshold: float
    improved: int
    deteriorated: int
    n: int

    @property
    def neither(self) -> int:
        return self.n - self.improved - self.deteriorated


@dataclass(frozen=True)
class PairedChange:
    n_t1: int
    n_t2: int
    n_paired: int
    mean_t1: float | None = None
    mean_t2: float | None = None
    sd_t1: float | None = None
    mean_change: float | None = None
    sd_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    t_statistic: float | None = None
    t_p: float | None = None
    wilcoxon_statistic: float | None = None
    wilcoxon_p: float | None = None
    wilcoxon_method: str = ""  # EXACT or NORMAL
    dz: float | None = None
    dz_low: float | None = None
    dz_high: float | None = None
    dz_method: str = ""  # "noncentral_t" when the interval was found
    reliable: ReliableChange | None = None
    meaningful: MeaningfulChange | None = None
    not_computable: tuple[str, ...] = field(default_factory=tuple)


# Exact numbers


def exact(value) -> Fraction:
    """A score as the decimal number it is stored as: 0.67 is 67/100."""
    if isinstance(value, Fraction | int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def exact_grid(*arrays: np.ndarray) -> tuple[list[np.ndarray], int]:
    """The arrays (NaN where missing) as integers in units of 1/denominator, one denominator
    for all; missing values stay missing as a mask the caller keeps. Returns (integer arrays,
    denominator); the arrays are int64 where that cannot overflow in sums of squares, else
    Python integers (object arrays)."""
    finite = np.concatenate([array[~np.isnan(array)] for array in arrays]) if arrays else []
    unique = np.unique(finite)
    fractions = [exact(value) for value in unique]
    denominator = math.lcm(1, *(fraction.denominator for fraction in fractions))
    integers = [int(fraction * denominator) for fraction in fractions]
    largest = max((abs(value) for value in integers), default=0)
    size = max((array.size for array in arrays), default=0)
    dtype = np.int64 if (2 * largest + 1) ** 2 * (size + 1) < 2**62 else object
    lookup = np.array(integers, dtype=dtype)
    result = []
    for array in arrays:
        values = np.zeros(array.shape, dtype=dtype)
        present = ~np.isnan(array)
        values[present] = lookup[np.searchsorted(unique, array[present])]
        result.append(values)
    return result, denominator


def _sum(values: np.ndarray) -> int:
    return int(values.sum()) if values.size else 0


def _sqrt(value: Fraction) -> float:
    return math.sqrt(value) if value else 0.0


def _moments(values: np.ndarray) -> tuple[int, int, int]:
    """n, Σx and n·Σx² - (Σx)² (n² times the variance with ddof = 0), all integers."""
    n = int(values.size)
    total = _sum(values)
    return n, total, n * _sum(values * values) - total * total


# The signed-rank test


def doubled_midranks(magnitudes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Twice the midrank of each value (integers), and the sizes of the tie groups."""
    _unique, inverse, counts = np.unique(magnitudes, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    doubled = (ends - counts + 1) + ends  # first rank + last rank of each group
    return doubled[inverse.reshape(-1)].astype(np.int64), counts.astype(np.int64)


def signed_rank_distribution(doubled: np.ndarray) -> np.ndarray:
    """P(2·T+ = k) for k = 0 … Σ doubled, each sign + or - with probability 1/2."""
    total = int(doubled.sum())
    probability = np.zeros(total + 1)
    probability[0] = 1.0
    reach = 0
    for step in sorted(int(value) for value in doubled):
        reach += step
        shifted = probability[: reach - step + 1].copy()
        probability[: reach + 1] *= 0.5
        probability[step : reach + 1] += 0.5 * shifted
    return probability


@dataclass(frozen=True)
class SignedRank:
    statistic: float  # min(T+, T-)
    p: float
    method: str  # EXACT or NORMAL
    m: int  # non-zero differences


def signed_rank_test(differences: np.ndarray) -> SignedRank | None:
    """Wilcoxon's signed-rank test on exact (integer) differences; None when all are zero."""
    nonzero = differences[differences != 0]
    m = int(nonzero.size)
    if m == 0:
        return None
    doubled, ties = doubled_midranks(np.abs(nonzero))
    plus2 = int(doubled[nonzero > 0].sum())  # 2·T+
    all2 = m * (m + 1)  # 2·(T+ + T-)
    statistic = min(plus2, all2 - plus2) / 2
    if m <= WILCOXON_EXACT_MAX:
        distribution = signed_rank_distribution(doubled)
        below = float(distribution[: plus2 + 1].sum())
        above = float(distribution[plus2:].sum())
        return SignedRank(statistic, min(1.0, 2 * min(below, above)), EXACT, m)
    # Normal approximation with the tie correction, in exact arithmetic up to the square root.
    mean = Fraction(m * (m + 1), 4)
    variance = Fraction(m * (m + 1) * (2 * m + 1), 24) - Fraction(
        int(np.sum(ties.astype(object) ** 3 - ties.astype(object))), 48
    )
    z = float(Fraction(plus2, 2) - mean) / math.sqrt(variance)
    return SignedRank(statistic, float(2 * stats.norm.sf(abs(z))), NORMAL, m)


# Cohen's dz interval


class _Unevaluable(ArithmeticError):
    pass


def _nct_cdf(t: float, df: int, delta: float) -> float:
    value = float(special.nctdtr(df, delta, t))
    if not math.isfinite(value):
        raise _Unevaluable
    return value


def _noncentrality(t: float, df: int, target: float) -> float:
    """The δ with P(T <= t | df, δ) = target (the cdf falls as δ grows), bracketed from δ = t."""

    def gap(delta: float) -> float:
        return _nct_cdf(t, df, delta) - target

    start = t
    g_start = gap(start)
    if g_start == 0:
        return start
    direction = 1.0 if g_start > 0 else -1.0  # above the target: the root is at a larger δ
    step = 1.0
    for _attempt in range(80):
        other = start + direction * step
        try:
            g_other = gap(other)
        except _Unevaluable:
            step /= 4  # too far out for the cdf: come back nearer
            if step < 1e-6:
                break
            continue
        if (g_other > 0) != (g_start > 0) or g_other == 0:
            low, high = sorted((start, other))
            return optimize.brentq(gap, low, high, xtol=1e-13, rtol=4 * np.finfo(float).eps)
        start, g_start = other, g_other
        step *= 2
    raise _Unevaluable


def dz_interval(dz: float, n: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The exact confidence interval of Cohen's dz from the noncentral t, None when it cannot
    be found."""
    df = n - 1
    t_observed = dz * math.sqrt(n)
    try:
        delta_low = _noncentrality(t_observed, df, (1 + confidence) / 2)
        delta_high = _noncentrality(t_observed, df, (1 - confidence) / 2)
    except (ArithmeticError, ValueError, RuntimeError):
        return None
    return delta_low / math.sqrt(n), delta_high / math.sqrt(n)


# Reliable and meaningful change


def reliable_change(
    x1: np.ndarray,
    x2: np.ndarray,
    denominator: int = 1,
    *,
    reliability: float | None = None,
    r_kind: str = "",
    sem: float | None = None,
    reference_sd: float | None = None,
    better: str = HIGHER,
) -> ReliableChange | str:
    """Jacobson & Truax counts for paired integer arrays on the grid 1/``denominator`` (no
    missing values), or the reason code why there are none."""
    n = int(x1.size)
    if n == 0:
        return TOO_FEW
    sd_value, sd_source = None, ""
    if reliability is not None:
        r = exact(reliability)
        sd_squared = None
        if reference_sd is not None and n < REFERENCE_SD_BELOW:
            sd_squared, sd_source = exact(reference_sd) ** 2, "reference"
        elif n >= 2:
            count, _total, spread = _moments(x1)
            sample = Fraction(spread, count * (count - 1) * denominator**2)
            if sample > 0:
                sd_squared, sd_source = sample, "sample"
        if sd_squared is None and reference_sd is not None:
            sd_squared, sd_source = exact(reference_sd) ** 2, "reference"
        if sd_squared is None:
            return NO_SPREAD if n >= 2 else TOO_FEW
        se_squared = sd_squared * (1 - r)
        sd_value, source = _sqrt(sd_squared), "reliability"
    elif sem is not None:
        se_squared, source, r_kind = exact(sem) ** 2, "sem", ""
    else:
        return NO_RELIABILITY
    if se_squared <= 0:
        return NO_SPREAD
    # |d| > 1.96·√2·SE  ⇔  d² > 1.96²·2·SE² (on the grid: times denominator²).
    bound = RELIABLE_Z**2 * 2 * se_squared * denominator**2
    change = (x2 - x1) * (1 if better == HIGHER else -1)
    beyond = change * change > math.floor(bound)  # d² is an integer: d² > x ⇔ d² > floor(x)
    improved = int(np.sum(beyond & (change > 0)))
    deteriorated = int(np.sum(beyond & (change < 0)))
    se = _sqrt(se_squared)
    return ReliableChange(
        se=se,
        s_diff=math.sqrt(2) * se,
        criterion=float(RELIABLE_Z) * math.sqrt(2) * se,
        improved=improved,
        unchanged=n - improved - deteriorated,
        deteriorated=deteriorated,
        n=n,
        source=source,
        r=float(reliability) if reliability is not None else None,
        r_kind=r_kind if reliability is not None else "",
        sd=sd_value,
        sd_source=sd_source,
    )


def meaningful_change(
    x1: np.ndarray,
    x2: np.ndarray,
    denominator: int = 1,
    *,
    threshold: float,
    better: str = HIGHER,
) -> MeaningfulChange:
    """Counts of changes of at least ``threshold`` points, exactly, on the integer grid."""
    change = (x2 - x1) * (1 if better == HIGHER else -1)
    steps = math.ceil(exact(threshold) * denominator)  # d >= x ⇔ d >= ceil(x) for integers d
    return MeaningfulChange(
        threshold=float(threshold),
        improved=int(np.sum(change >= steps)),
        deteriorated=int(np.sum(change <= -steps)),
        n=int(x1.size),
    )


# Everything together


def _clean(values) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(float)
    return np.array([np.nan if value is None else float(value) for value in values], dtype=float)


def _mean(values: np.ndarray, denominator: int) -> float:
    return float(Fraction(_sum(values), values.size * denominator))


def paired_change(
    t1,
    t2,
    *,
    reliability: float | None = None,
    r_kind: str = "",
    sem: float | None = None,
    reference_sd: float | None = None,
    meaningful: float | None = None,
    better: str = HIGHER,
) -> PairedChange:
    """Every figure of the change from t1 to t2. ``t1`` and ``t2`` are equally long sequences,
    one position per person, ``None`` or NaN where that person has no score."""
    if better not in (HIGHER, LOWER):
        raise ValueError("better must be 'higher' or 'lower'.")
    first, second = _clean(t1), _clean(t2)
    if first.shape != second.shape:
        raise ValueError("t1 and t2 must have one value per person each.")
    both = ~np.isnan(first) & ~np.isnan(second)
    counts = {
        "n_t1": int((~np.isnan(first)).sum()),
        "n_t2": int((~np.isnan(second)).sum()),
        "n_paired": int(both.sum()),
    }
    n = counts["n_paired"]
    if n == 0:
        return PairedChange(**counts, not_computable=(TOO_FEW,))
    (x1, x2), denominator = exact_grid(first[both], second[both])
    d = x2 - x1
    _n, sum_d, spread_d = _moments(d)
    figures: dict = {
        "mean_t1": _mean(x1, denominator),
        "mean_t2": _mean(x2, denominator),
        "mean_change": float(Fraction(sum_d, n * denominator)),
    }
    reasons: list[str] = []
    reliable = reliable_change(
        x1,
        x2,
        denominator,
        reliability=reliability,
        r_kind=r_kind,
        sem=sem,
        reference_sd=reference_sd,
        better=better,
    )
    if isinstance(reliable, str):
        reasons.append(reliable)
        reliable = None
    if meaningful is None:
        reasons.append(NO_THRESHOLD)
        meaningful_result = None
    else:
        meaningful_result = meaningful_change(
            x1, x2, denominator, threshold=meaningful, better=better
        )
    if n < 2:
        reasons.insert(0, TOO_FEW)
        return PairedChange(
            **counts,
            **figures,
            reliable=reliable,
            meaningful=meaningful_result,
            not_computable=tuple(reasons),
        )
    _n1, _sum1, spread_1 = _moments(x1)
    figures["sd_t1"] = _sqrt(Fraction(spread_1, n * (n - 1) * denominator**2))
    figures["sd_change"] = _sqrt(Fraction(spread_d, n * (n - 1) * denominator**2))
    if spread_d > 0:
        sd_d = figures["sd_change"]
        # t² = (Σd)²·(n - 1) / (n·Σd² - (Σd)²), exactly.
        t_value = math.copysign(_sqrt(Fraction(sum_d * sum_d * (n - 1), spread_d)), sum_d)
        half = float(stats.t.ppf((1 + CONFIDENCE) / 2, n - 1)) * sd_d / math.sqrt(n)
        dz = t_value / math.sqrt(n)
        figures.update(
            ci_low=figures["mean_change"] - half,
            ci_high=figures["mean_change"] + half,
            t_statistic=t_value,
            t_p=min(1.0, float(2 * stats.t.sf(abs(t_value), n - 1))),
            dz=dz,
        )
        limits = dz_interval(dz, n)
        if limits is None:
            reasons.append(DZ_NO_INTERVAL)
        else:
            figures.update(dz_low=limits[0], dz_high=limits[1], dz_method="noncentral_t")
    else:
        # Everyone changed by exactly the same amount: no spread, so no interval, test or dz.
        reasons.insert(0, NO_VARIATION)
    signed_rank = signed_rank_test(d)
    if signed_rank is None:
        reasons.insert(0, ALL_ZERO)
    else:
        figures.update(
            wilcoxon_statistic=signed_rank.statistic,
            wilcoxon_p=signed_rank.p,
            wilcoxon_method=signed_rank.method,
        )
    return PairedChange(
        **counts,
        **figures,
        reliable=reliable,
        meaningful=meaningful_result,
        not_computable=tuple(reasons),
    )


def quantile_days(days, q: float) -> float | None:
    """A quantile of waiting times (linear interpolation, NumPy's default), None when empty."""
    values = np.asarray([day for day in days if day is not None], dtype=float)
    if values.size == 0:
        return None
    return float(np.quantile(values, q))
