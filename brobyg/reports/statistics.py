"""Paired change between two timepoints, with its uncertainty: NumPy and SciPy only, no Django.

One function, ``paired_change``, takes each person's score at the first timepoint (t1) and at the
second (t2), with ``None``/NaN where a person has no valid score there, and returns every figure
the evaluation report shows. Definitions (d = t2 - t1 for the people with both scores):

- **n**: ``n_t1`` people with a score at t1, ``n_t2`` at t2, ``n_paired`` at both. Everything
  below uses the ``n_paired`` people only; the difference between the three is the attrition.
- **Means** of t1 and t2, and the **mean change** mean(d) with a 95 % confidence interval from the
  t distribution: mean(d) ± t(0.975, n - 1) · sd(d) / √n, sd with ddof = 1.
- **Paired t-test**: ``scipy.stats.ttest_rel(t2, t1)``, two-sided.
- **Wilcoxon signed-rank test**: ``scipy.stats.wilcoxon(d)`` with SciPy's defaults, which are:
  ``zero_method="wilcox"`` (zero differences are dropped), no continuity correction,
  ``method="auto"``: the exact null distribution when n <= 50 and there are no ties or zeros, an
  exhaustive permutation test when n <= 13 with ties or zeros, else the normal approximation with
  the tie correction.
- **Cohen's dz** = mean(d) / sd(d, ddof = 1). Its 95 % CI is exact, by inverting the noncentral t
  distribution: t = dz·√n has a noncentral t distribution with n - 1 degrees of freedom and
  noncentrality δ = dz_true·√n; the limits are the δ for which ``scipy.stats.nct.cdf(t, n - 1, δ)``
  is 0.975 and 0.025 (found with ``scipy.optimize.brentq``), divided by √n. Where SciPy cannot
  evaluate the noncentral t (very large t), the normal approximation
  dz ± 1.96·√(1/n + dz²/(2n)) is used instead and ``dz_method`` says so.
- **Reliable change** (Jacobson & Truax 1991): SE = s1·√(1 - r), with s1 the standard deviation
  (ddof = 1) of the paired people's t1 scores and r the instrument's reliability; where the
  instrument publishes its standard error of measurement instead, SE is that value. S_diff =
  √2·SE; a person's change is reliable when |d| > 1.96·S_diff, and counts as improved or
  deteriorated by the instrument's direction (for some scales lower is better).
- **Meaningful change**: where the instrument defines a threshold (in points of the score), the
  shares who changed by at least that much for the better and for the worse.

Figures that cannot be computed (fewer than two pairs, no variation, every difference zero, no
reliability known) are ``None`` with a reason code in ``not_computable``, never NaN.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats

CONFIDENCE = 0.95
RELIABLE_Z = 1.96
# Scores are stored with two decimals: a change "of at least the threshold" allows for the
# binary representation of such numbers.
TOLERANCE = 1e-9

# Reasons a figure is missing.
TOO_FEW = "too_few"  # fewer than two pairs
NO_VARIATION = "no_variation"  # every difference is the same, so sd(d) = 0
ALL_ZERO = "all_zero"  # every difference is zero: the signed-rank test has nothing to rank
NO_RELIABILITY = "no_reliability"  # the instrument publishes no reliability
NO_THRESHOLD = "no_threshold"  # the instrument defines no meaningful change

HIGHER = "higher"
LOWER = "lower"


@dataclass(frozen=True)
class ReliableChange:
    se: float
    s_diff: float
    criterion: float  # 1.96 · S_diff
    improved: int
    unchanged: int
    deteriorated: int
    n: int
    source: str  # "reliability" (s1·√(1-r)) or "sem" (published SE of measurement)

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
    dz: float | None = None
    dz_low: float | None = None
    dz_high: float | None = None
    dz_method: str = ""
    reliable: ReliableChange | None = None
    meaningful: MeaningfulChange | None = None
    not_computable: tuple[str, ...] = field(default_factory=tuple)


def _clean(values) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(float)
    return np.array([np.nan if value is None else float(value) for value in values], dtype=float)


def _finite(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def dz_interval(dz: float, n: int, confidence: float = CONFIDENCE) -> tuple[float, float, str]:
    """The confidence interval of Cohen's dz: exact (noncentral t) where SciPy can evaluate it,
    else the normal approximation. Returns (low, high, method)."""
    df = n - 1
    t_observed = dz * math.sqrt(n)
    upper_tail = (1 + confidence) / 2  # 0.975
    lower_tail = (1 - confidence) / 2  # 0.025

    def limit(target: float) -> float:
        # nct.cdf(t, df, delta) falls as delta grows: bracket the root around t_observed.
        def gap(delta):
            return stats.nct.cdf(t_observed, df, delta) - target

        width = 10.0
        for _attempt in range(12):
            low, high = t_observed - width, t_observed + width
            g_low, g_high = gap(low), gap(high)
            if not (math.isfinite(g_low) and math.isfinite(g_high)):
                raise ArithmeticError
            if g_low > 0 > g_high:
                return optimize.brentq(gap, low, high, xtol=1e-12, rtol=1e-12, maxiter=200)
            width *= 2
        raise ArithmeticError

    try:
        delta_low, delta_high = limit(upper_tail), limit(lower_tail)
        return delta_low / math.sqrt(n), delta_high / math.sqrt(n), "noncentral_t"
    except (ArithmeticError, ValueError, RuntimeError):
        z = stats.norm.ppf(upper_tail)
        se = math.sqrt(1 / n + dz * dz / (2 * n))
        return dz - z * se, dz + z * se, "normal"


def reliable_change(
    t1: np.ndarray,
    t2: np.ndarray,
    *,
    reliability: float | None = None,
    sem: float | None = None,
    better: str = HIGHER,
) -> ReliableChange | None:
    """Jacobson & Truax counts for paired arrays (no missing values); None when neither a
    reliability nor a standard error of measurement is known or s1 cannot be computed."""
    n = len(t1)
    if reliability is not None and n >= 2:
        se = float(np.std(t1, ddof=1)) * math.sqrt(1 - reliability)
        source = "reliability"
    elif sem is not None and n >= 1:
        se = float(sem)
        source = "sem"
    else:
        return None
    s_diff = math.sqrt(2) * se
    criterion = RELIABLE_Z * s_diff
    change = (t2 - t1) * (1 if better == HIGHER else -1)
    if criterion > 0:
        improved = int(np.sum(change > criterion))
        deteriorated = int(np.sum(change < -criterion))
    else:  # no measurement error at all: any change is reliable
        improved = int(np.sum(change > 0))
        deteriorated = int(np.sum(change < 0))
    return ReliableChange(
        se=se,
        s_diff=s_diff,
        criterion=criterion,
        improved=improved,
        unchanged=n - improved - deteriorated,
        deteriorated=deteriorated,
        n=n,
        source=source,
    )


def meaningful_change(
    t1: np.ndarray, t2: np.ndarray, *, threshold: float, better: str = HIGHER
) -> MeaningfulChange:
    change = (t2 - t1) * (1 if better == HIGHER else -1)
    return MeaningfulChange(
        threshold=float(threshold),
        improved=int(np.sum(change >= threshold - TOLERANCE)),
        deteriorated=int(np.sum(change <= -threshold + TOLERANCE)),
        n=len(t1),
    )


def paired_change(
    t1,
    t2,
    *,
    reliability: float | None = None,
    sem: float | None = None,
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
    x1, x2 = first[both], second[both]
    n = int(both.sum())
    counts = {
        "n_t1": int((~np.isnan(first)).sum()),
        "n_t2": int((~np.isnan(second)).sum()),
        "n_paired": n,
    }
    reasons: list[str] = []
    if n == 0:
        return PairedChange(**counts, not_computable=(TOO_FEW,))
    d = x2 - x1
    figures: dict = {
        "mean_t1": float(np.mean(x1)),
        "mean_t2": float(np.mean(x2)),
        "mean_change": float(np.mean(d)),
    }
    reliable = reliable_change(x1, x2, reliability=reliability, sem=sem, better=better)
    if reliable is None:
        reasons.append(NO_RELIABILITY)
    if meaningful is None:
        reasons.append(NO_THRESHOLD)
    meaningful_result = (
        meaningful_change(x1, x2, threshold=meaningful, better=better)
        if meaningful is not None
        else None
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
    sd_d = float(np.std(d, ddof=1))
    figures["sd_t1"] = float(np.std(x1, ddof=1))
    figures["sd_change"] = sd_d
    if sd_d > 0:
        half = stats.t.ppf((1 + CONFIDENCE) / 2, n - 1) * sd_d / math.sqrt(n)
        test = stats.ttest_rel(x2, x1)
        dz = figures["mean_change"] / sd_d
        dz_low, dz_high, dz_method = dz_interval(dz, n)
        figures.update(
            ci_low=figures["mean_change"] - half,
            ci_high=figures["mean_change"] + half,
            t_statistic=_finite(test.statistic),
            t_p=_finite(test.pvalue),
            dz=dz,
            dz_low=dz_low,
            dz_high=dz_high,
            dz_method=dz_method,
        )
    else:
        # Everyone changed by exactly the same amount: no spread, so no interval, test or dz.
        reasons.insert(0, NO_VARIATION)
    if np.any(d != 0):
        signed_rank = stats.wilcoxon(d)
        figures["wilcoxon_statistic"] = _finite(signed_rank.statistic)
        figures["wilcoxon_p"] = _finite(signed_rank.pvalue)
    else:
        reasons.insert(0, ALL_ZERO)
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
