"""The report's fixed texts: the method, the pairing rules and the labels, made from the
settings the statistics and the pairing use, so the page and the files cannot say otherwise.
"""

from django.utils.translation import gettext_lazy, gettext_noop

from brobyg.outcomes.schedules import timepoint_label
from brobyg.reports import change, statistics
from brobyg.reports.tables import (
    number,
)

CHIME = "brobyg-chime"
# Citizens' questionnaires first in this order, then any other by code.
CITIZEN_ORDER = [CHIME, "who-5", "swemwbs", "qpr-15", "brief-inspire-o"]

CAVEAT = gettext_lazy(
    "These figures compare the same citizens before and after. Without a control group, a change "
    "is not proof that the peer support caused it: people also change for other reasons, and "
    "those who answer again may differ from those who do not."
)
# The pairing rules (``change.py``), written with the timepoints the query uses.
PAIRING_WHO = gettext_lazy(
    "Who counts: citizens with at least one answer within the period, except those who withdrew "
    "their consent to evaluation. Answers after the period are not used."
)
PAIRING_START = {
    change.LAST: gettext_lazy(
        "Start: the citizen's first answer marked “%(start)s”, or else their first answer; it "
        "may be before the period. A scale without a valid score in that answer has no start "
        "score."
    ),
    "timepoint": gettext_lazy(
        "Start: the citizen's first answer marked “%(start)s”; it may be before the period. A "
        "scale without a valid score in that answer has no start score."
    ),
}
PAIRING_FOLLOW_UP = {
    change.LAST: gettext_lazy(
        "Follow-up, for each scale: the last valid score within the period, from an answer given "
        "on a later day than the start answer (never before it or on the same day), so an answer "
        "without a valid score does not hide an earlier one."
    ),
    "timepoint": gettext_lazy(
        "Follow-up, for each scale: the first valid score from an answer marked “%(follow_up)s” "
        "given on a later day than the start answer (never before it or on the same day). The "
        "pair belongs to the period in which that answer was given, so it counts in one period "
        "only; a citizen without a start answer has no follow-up."
    ),
}


def pairing_texts(follow_up: str) -> list[str]:
    """The rules by which ``change.change_table`` pairs the answers, in words."""
    kind = change.LAST if follow_up == change.LAST else "timepoint"
    labels = {
        "start": timepoint_label(change.START_TIMEPOINT),
        "follow_up": "" if follow_up == change.LAST else timepoint_label(follow_up),
    }
    return [
        str(PAIRING_WHO),
        str(PAIRING_START[kind]) % labels,
        str(PAIRING_FOLLOW_UP[kind]) % labels,
    ]


FOLLOW_UP_LABELS = {
    change.LAST: gettext_lazy("Last answer in the period"),
    "followup_3m": gettext_lazy("After 3 months"),
    "followup_6m": gettext_lazy("After 6 months"),
    "end": gettext_lazy("At the end"),
}
# The method text is made from the settings the statistics use (``statistics.py``), so the two
# cannot say different things.
METHOD_TEXT = gettext_lazy(
    "Change = follow-up minus start, for the citizens with both, computed exactly from the stored "
    "scores (equal changes are equal, a change of zero is zero). Confidence interval "
    "(%(confidence)s %%) from the t distribution; p from the paired t-test and from the Wilcoxon "
    "signed-rank test. Wilcoxon: changes of zero are left out before ranking (Wilcoxon's rule) "
    "and equal changes share their mean rank; p is exact, from the distribution of the signed "
    "ranks given these ranks, for up to %(exact_max)s changes that are not zero, and from the "
    "normal approximation with tie correction (no continuity correction) for more. Cohen's dz = "
    "mean change / standard deviation of the changes, with an exact interval (%(confidence)s %%) "
    "from the noncentral t distribution. When everyone changed by the same amount there is no "
    "spread, so no interval, t-test or dz."
)
RELIABLE_TEXT = gettext_lazy(
    "Reliable change (Jacobson & Truax): a citizen's change counts as reliable when it is larger "
    "than %(z)s × √2 × SE, where SE = SD × √(1 − r), or the questionnaire's published standard "  # noqa: RUF001
    "error of measurement. r is the questionnaire's test-retest reliability where one is "
    "published, else its internal consistency (Cronbach's alpha). SD is the questionnaire's "
    "published SD with fewer than %(below)s pairs, else the SD of the start scores; when every "
    "start score is the same and no SD is published, reliable change is not computed. The table "
    "names the r and SD used."
)


def method_text() -> str:
    return str(METHOD_TEXT) % {
        "confidence": number(100 * statistics.CONFIDENCE, 0),
        "exact_max": statistics.WILCOXON_EXACT_MAX,
    }


def reliable_text() -> str:
    return str(RELIABLE_TEXT) % {
        "z": number(float(statistics.RELIABLE_Z)),
        "below": statistics.REFERENCE_SD_BELOW,
    }


# The meaningful-change notes and sources of the shipped questionnaires that have words in them,
# marked here so they are translated: a definition's text cannot change without a new version.
# Those of other definitions are shown as written.
SHIPPED_TEXTS = (
    gettext_noop("A 10-point difference on the 0-100 score (Topp et al. 2015)."),
    gettext_noop(
        "Between 1 and 3 points depending on the standard used (Shah et al. 2018); Brobyg uses 3."
    ),
    gettext_noop(
        "8 points is a clinically relevant change (Moeller SB et al. Soc Psychiatry Psychiatr "
        "Epidemiol 2025, doi:10.1007/s00127-025-02948-7)."
    ),
    gettext_noop("Moeller SB et al. Front Psychiatry 2024;15:1327020 (Danish outpatients)"),
    gettext_noop("Topp et al. 2015, Psychother Psychosom 84:167-176 (systematic review)"),
    gettext_noop("Not validated, so no meaningful-change threshold is known."),
    gettext_noop("Not validated. Reported as the share who agree."),
    gettext_noop("Not validated. A drop of more than 1 point tells the supervisor."),
    gettext_noop("No published threshold; use the reliable-change index."),
    gettext_noop("Not validated; report the organisation's change with its uncertainty."),
)
REASONS = {
    statistics.TOO_FEW: gettext_lazy("not computable: fewer than 2 pairs"),
    statistics.NO_VARIATION: gettext_lazy("not computable: everyone changed equally"),
    statistics.ALL_ZERO: gettext_lazy("not computable: no one changed"),
}
R_KINDS = {
    "test_retest": gettext_lazy("test-retest"),
    "internal_consistency": gettext_lazy("internal consistency, Cronbach's alpha"),
}
SD_SOURCES = {
    "sample": gettext_lazy("SD of the start scores"),
    "reference": gettext_lazy("published SD"),
}
