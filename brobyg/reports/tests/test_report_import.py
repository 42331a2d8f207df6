"""Acceptance: a report over answers imported with ``import_responses`` shows the figures an
independent computation (SciPy, straight from the CSV) gives."""

import csv
import io
import random
from collections import defaultdict
from datetime import date
from fractions import Fraction

import numpy as np
import pytest
from django.utils import translation
from django_scopes import scope
from scipy import stats

from brobyg.outcomes.imports import import_responses
from brobyg.reports.report import build_report
from brobyg.reports.tests.test_statistics import exact_signed_rank_p

CHIME_DOMAINS = {
    "connectedness": ["c1", "c2", "c3"],
    "hope": ["h1", "h2"],
    "identity": ["i1", "i2"],
    "meaning": ["m1", "m2"],
    "empowerment": ["e1", "e2", "e3"],
}


def _chime_items():
    from brobyg.outcomes.tests.helpers import definition

    spec = definition("brobyg-chime")
    return {item.id: (item.domain, item.reverse) for item in spec.scored_items}


def make_csv(seed=11, people=40):
    rng = random.Random(seed)
    chime = _chime_items()
    lines = ["respondent,instrument,version,timepoint,date,item,value"]
    for number in range(people):
        respondent = f"P-{number:03d}"
        level = rng.uniform(0.8, 2.6)
        gain = rng.gauss(0.4, 0.5)
        occasions = (("baseline", "2025-02-03", 0), ("followup_6m", "2025-08-04", 1))
        for timepoint, day, shift in occasions:
            if timepoint == "followup_6m" and number % 9 == 0:
                continue  # lost to follow-up
            for item_id, (_domain, reverse) in chime.items():
                value = min(4, max(0, round(rng.gauss(level + shift * gain, 0.6))))
                lines.append(
                    f"{respondent},brobyg-chime,1.0,{timepoint},{day},{item_id},"
                    f"{4 - value if reverse else value}"
                )
            for item in range(1, 6):
                value = min(5, max(0, round(rng.gauss(2 + level / 2 + shift * gain, 1))))
                blank = number % 13 == 5 and item == 3 and timepoint == "baseline"
                lines.append(
                    f"{respondent},who-5,1998,{timepoint},{day},w{item},{'' if blank else value}"
                )
    return "\n".join(lines) + "\n"


def independent(text):
    """Scores per respondent and timepoint computed here from the CSV: CHIME domain and total
    means (reverse items turned, two decimals), WHO-5 raw sum x 4 for complete answers."""
    chime = _chime_items()
    answers = defaultdict(dict)
    for row in csv.DictReader(io.StringIO(text)):
        if row["value"] != "":
            answers[(row["respondent"], row["instrument"], row["timepoint"])][row["item"]] = int(
                row["value"]
            )
    scores = defaultdict(dict)
    for (respondent, code, timepoint), values in answers.items():
        if code == "brobyg-chime":
            turned = {k: (4 - v if chime[k][1] else v) for k, v in values.items()}
            total = round(np.mean(list(turned.values())), 2)
            scores[(respondent, timepoint)]["chime:total"] = total
            for domain in CHIME_DOMAINS:
                items = [v for k, v in turned.items() if chime[k][0] == domain]
                scores[(respondent, timepoint)][f"chime:{domain}"] = round(np.mean(items), 2)
        elif len(values) == 5:
            scores[(respondent, timepoint)]["who5"] = sum(values.values()) * 4
    return scores


def paired(scores, key):
    respondents = sorted({respondent for respondent, _tp in scores})
    t1 = [scores[(r, "baseline")].get(key) for r in respondents]
    t2 = [scores.get((r, "followup_6m"), {}).get(key) for r in respondents]
    both = [(a, b) for a, b in zip(t1, t2, strict=True) if a is not None and b is not None]
    x1 = np.array([a for a, _b in both], dtype=float)
    x2 = np.array([b for _a, b in both], dtype=float)
    return (
        sum(a is not None for a in t1),
        sum(b is not None for b in t2),
        x1,
        x2,
    )


def rows_of(report, key):
    table = next(table for _section, table in report.tables() if table.key == key)
    return {row["label"].value: row for row in table.rows}


@pytest.mark.parametrize("follow_up", ["last", "followup_6m"])
def test_it_shows_the_figures_of_an_independent_computation(instruments, personas, follow_up):
    text = make_csv()
    with scope(organisation=personas.org_a.pk):
        import_responses(organisation=personas.org_a, stream=io.StringIO(text))
        with translation.override("en"):
            report = build_report(
                organisations=[personas.org_a],
                start=date(2025, 1, 1),
                end=date(2025, 12, 31),
                follow_up=follow_up,
                suppress=False,
            )
    scores = independent(text)
    chime = rows_of(report, "change-brobyg-chime")
    labels = {
        "Total": "chime:total",
        "Connectedness": "chime:connectedness",
        "Hope and optimism": "chime:hope",
        "Identity": "chime:identity",
        "Meaning in life": "chime:meaning",
        "Empowerment": "chime:empowerment",
    }
    who5 = rows_of(report, "change-who-5")
    checks = [(chime[label], key) for label, key in labels.items()] + [(who5["Total"], "who5")]
    for row, key in checks:
        n_t1, n_t2, x1, x2 = paired(scores, key)
        assert row["n_t1"].value == n_t1, key
        assert row["n_t2"].value == n_t2, key
        assert row["n"].value == len(x1), key
        assert row["mean_t1"].value == pytest.approx(x1.mean(), abs=1e-9)
        assert row["mean_t2"].value == pytest.approx(x2.mean(), abs=1e-9)
        assert row["change"].value == pytest.approx((x2 - x1).mean(), abs=1e-9)
        assert row["t_p"].value == pytest.approx(stats.ttest_rel(x2, x1).pvalue, abs=1e-9)
        # The signed ranks of the exact differences (zeros left out), exact distribution.
        d = [
            Fraction(repr(float(b))) - Fraction(repr(float(a))) for a, b in zip(x1, x2, strict=True)
        ]
        assert row["w_p"].value == pytest.approx(float(exact_signed_rank_p(d)), abs=1e-9)
        assert row["dz"].value == pytest.approx((x2 - x1).mean() / (x2 - x1).std(ddof=1), abs=1e-9)
    # WHO-5's meaningful change: at least 10 points.
    _n1, _n2, x1, x2 = paired(scores, "who5")
    reliable = rows_of(report, "reliable-who-5")["Total"]
    assert reliable["mc_improved"].value == int(np.sum(x2 - x1 >= 10))
    assert reliable["mc_deteriorated"].value == int(np.sum(x2 - x1 <= -10))
    # Attrition is there: some did not answer at follow-up.
    assert chime["Total"]["n_t2"].value < chime["Total"]["n_t1"].value
