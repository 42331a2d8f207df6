"""The database's pairing equals the rules in ``change.py``'s docstring, written out here in
plain Python, on answers made to catch the edge cases: a baseline given after other answers,
several answers on one day, answers before and after the period, unfinished answers, missing
scores, another organisation's answers and a withdrawn evaluation consent."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django_scopes import scope

from brobyg.people.models import Citizen
from brobyg.people.services import consent_record
from brobyg.reports import change

START, END = date(2025, 3, 1), date(2025, 12, 31)
TIMEPOINTS = ["baseline", "followup_3m", "followup_6m", "end", "manual"]
SCALES = ["total", "connectedness"]


def _make_answers(personas, instrument, rng):
    """Responses and scores straight into the tables; returns what the reference reads."""
    from brobyg.outcomes.models import Response, Score

    rows = []
    for organisation in (personas.org_a, personas.org_b):
        with scope(organisation=organisation.pk):
            for number in range(45):
                citizen = Citizen.objects.create(organisation=organisation, name=f"P-{number}")
                day = date(2024, 6, 1) + timedelta(days=rng.randrange(500))
                for _answer in range(rng.randint(1, 6)):
                    completed = rng.random() > 0.1
                    moment = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                    response = Response.objects.create(
                        organisation=organisation,
                        instrument=instrument,
                        respondent_kind="citizen",
                        citizen=citizen,
                        timepoint=rng.choice(TIMEPOINTS),
                        started_at=moment,
                        completed_at=moment if completed else None,
                        answered_on=day,
                    )
                    values = {
                        scale: None if rng.random() < 0.1 else rng.randrange(0, 17) / 4
                        for scale in SCALES
                    }
                    Score.objects.bulk_create(
                        Score(
                            organisation=organisation,
                            response=response,
                            scale=scale,
                            value=value,
                            answered=1,
                            missing=0,
                        )
                        for scale, value in values.items()
                    )
                    rows.append((organisation.pk, citizen.pk, response, completed, values))
                    # A third of the next answers fall on the same day (the id decides).
                    day += timedelta(days=rng.choice([0, 0, 20, 60, 120]))
    return rows


def _reference(rows, organisation_id, follow_up, withdrawn):
    """The documented rules, one citizen at a time: Counter of (scale, t1, t2)."""
    per_citizen = {}
    for organisation, citizen, response, completed, values in rows:
        if organisation != organisation_id or not completed or citizen in withdrawn:
            continue
        if response.answered_on > END:
            continue
        per_citizen.setdefault(citizen, []).append((response, values))
    table = Counter()
    for answers in per_citizen.values():
        if not any(response.answered_on >= START for response, _v in answers):
            continue
        order = sorted(answers, key=lambda pair: (pair[0].answered_on, pair[0].pk))
        baselines = [pair for pair in order if pair[0].timepoint == "baseline"]
        if follow_up == change.LAST:
            first = (baselines or order)[0]
            latest = order[-1]
            last = latest if latest[0].answered_on > first[0].answered_on else None
        else:
            first = baselines[0] if baselines else None
            at_follow_up = [pair for pair in order if pair[0].timepoint == follow_up]
            last = at_follow_up[0] if at_follow_up else None
        for scale in SCALES:
            t1 = first[1][scale] if first else None
            t2 = last[1][scale] if last else None
            if t1 is not None or t2 is not None:
                table[(scale, t1, t2)] += 1
    return table


@pytest.mark.parametrize("follow_up", change.FOLLOW_UPS)
def test_the_pairing_follows_the_documented_rules(instruments, personas, follow_up):
    rng = random.Random(7)
    rows = _make_answers(personas, instruments["brobyg-chime"], rng)
    withdrawn = {rows[0][1], rows[-1][1]}
    for organisation, citizen_id, *_rest in (rows[0], rows[-1]):
        with scope(organisation=organisation):
            consent_record(
                actor=personas.alice if organisation == personas.org_a.pk else personas.carl,
                citizen=Citizen.objects.get(pk=citizen_id),
                purpose="evaluation",
                given=False,
                method="in_person",
            )
    flt = change.Filter(
        organisation_ids=(personas.org_a.pk,), programme_ids=(), start=START, end=END
    )
    with scope(organisation=personas.org_a.pk):
        table = change.change_table(flt, "brobyg-chime", follow_up)
    found = Counter()
    for scale, t1, t2, count in table:
        if scale in SCALES and (t1 is not None or t2 is not None):
            found[(scale, t1, t2)] += count
    expected = _reference(rows, personas.org_a.pk, follow_up, withdrawn)
    assert sum(expected.values()) > 20
    assert found == expected
