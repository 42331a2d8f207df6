"""The database's pairing equals the rules in ``change.py``'s docstring, written out here in
plain Python, on answers made to catch the edge cases: a baseline given after other answers,
several answers on one day, follow-ups before the start or on its day, answers before and after
the period, unfinished answers, missing scores, another organisation's answers and a withdrawn
evaluation consent. Then each rule on its own, on a few citizens whose answers name the case;
the suite runs on SQLite and on PostgreSQL (``DATABASE_URL``)."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django_scopes import scope

from brobyg.people.models import Citizen
from brobyg.people.services import consent_record
from brobyg.reports import change

START, END = date(2025, 3, 1), date(2025, 12, 31)
TIMEPOINTS = [change.START_TIMEPOINT, *change.TIMEPOINTS, "manual"]
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
        baselines = [pair for pair in order if pair[0].timepoint == change.START_TIMEPOINT]
        if follow_up == change.LAST:
            first = (baselines or order)[0]
        else:
            first = baselines[0] if baselines else None
        for scale in SCALES:
            t1 = first[1][scale] if first else None
            # Valid scores on this scale on a later day than the start answer, in order.
            later = [
                (response, values[scale])
                for response, values in order
                if first
                and response.answered_on > first[0].answered_on
                and values[scale] is not None
            ]
            t2 = None
            if follow_up == change.LAST:
                within = [pair for pair in later if pair[0].answered_on >= START]
                t2 = within[-1][1] if within else None
            else:
                at = [pair for pair in later if pair[0].timepoint == follow_up]
                t2 = at[0][1] if at and at[0][0].answered_on >= START else None
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


# Each rule on its own. A citizen's answers: (day, timepoint, total, connectedness); None is a
# score that is not valid (too many items missing).


def _citizen(personas, instrument, answers):
    from brobyg.outcomes.models import Response, Score

    organisation = personas.org_a
    with scope(organisation=organisation.pk):
        citizen = Citizen.objects.create(organisation=organisation, name="Rule")
        for day, timepoint, *values in answers:
            moment = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
            response = Response.objects.create(
                organisation=organisation,
                instrument=instrument,
                respondent_kind="citizen",
                citizen=citizen,
                timepoint=timepoint,
                started_at=moment,
                completed_at=moment,
                answered_on=day,
            )
            Score.objects.bulk_create(
                Score(
                    organisation=organisation,
                    response=response,
                    scale=scale,
                    value=value,
                    answered=1,
                    missing=0,
                )
                for scale, value in zip(SCALES, values, strict=True)
            )
    return citizen


def _pairs(personas, follow_up, start=START, end=END):
    """{scale: (t1, t2)} of the one citizen made by the test."""
    flt = change.Filter(
        organisation_ids=(personas.org_a.pk,), programme_ids=(), start=start, end=end
    )
    with scope(organisation=personas.org_a.pk):
        rows = change.change_table(flt, "brobyg-chime", follow_up)
    found = {}
    for scale, t1, t2, count in rows:
        if scale in SCALES:
            assert count == 1 and scale not in found
            found[scale] = (t1, t2)
    return found


BASELINE, M3 = change.START_TIMEPOINT, "followup_3m"


def test_a_follow_up_before_the_start_or_on_its_day_is_not_one(instruments, personas):
    _citizen(
        personas,
        instruments["brobyg-chime"],
        [
            (date(2025, 4, 1), M3, 1.0, 1.0),  # before the start
            (date(2025, 5, 1), BASELINE, 2.0, 2.0),
            (date(2025, 5, 1), M3, 3.0, 3.0),  # on the start's day
        ],
    )
    assert _pairs(personas, M3) == {"total": (2.0, None), "connectedness": (2.0, None)}
    # The last answer is on the start's day too: no follow-up either.
    assert _pairs(personas, change.LAST) == {"total": (2.0, None), "connectedness": (2.0, None)}


def test_the_first_follow_up_after_the_start_is_used(instruments, personas):
    _citizen(
        personas,
        instruments["brobyg-chime"],
        [
            (date(2025, 3, 10), M3, 1.0, 1.0),  # before the start
            (date(2025, 4, 1), BASELINE, 2.0, 2.0),
            (date(2025, 7, 1), M3, 3.0, 3.0),
            (date(2025, 8, 1), M3, 4.0, 4.0),
        ],
    )
    assert _pairs(personas, M3) == {"total": (2.0, 3.0), "connectedness": (2.0, 3.0)}


def test_a_pair_belongs_to_the_period_of_its_follow_up(instruments, personas):
    """The start may be before the period; the follow-up decides the period, so a citizen's
    pair counts in one period only, even when they answered the timepoint again later."""
    _citizen(
        personas,
        instruments["brobyg-chime"],
        [
            (date(2024, 10, 1), BASELINE, 2.0, 2.0),
            (date(2024, 12, 20), M3, 3.0, 3.0),
            (date(2025, 2, 1), M3, 4.0, 4.0),  # answered the 3-month questionnaire again
        ],
    )
    year_2024 = _pairs(personas, M3, date(2024, 1, 1), date(2024, 12, 31))
    year_2025 = _pairs(personas, M3, date(2025, 1, 1), date(2025, 12, 31))
    assert year_2024 == {"total": (2.0, 3.0), "connectedness": (2.0, 3.0)}
    # Counted in 2025 (it answered then) but not paired again.
    assert year_2025 == {"total": (2.0, None), "connectedness": (2.0, None)}
    # A follow-up after the period's end is never read.
    assert _pairs(personas, M3, date(2024, 1, 1), date(2024, 12, 1)) == {
        "total": (2.0, None),
        "connectedness": (2.0, None),
    }


def test_last_answer_pairing_uses_the_last_valid_score_of_each_scale(instruments, personas):
    _citizen(
        personas,
        instruments["brobyg-chime"],
        [
            (date(2025, 2, 1), BASELINE, 1.0, 1.0),  # before the period: the start
            (date(2025, 4, 1), "manual_1", 2.0, 2.0),
            (date(2025, 6, 1), "manual_2", 3.0, None),
            (date(2025, 8, 1), "manual_3", None, None),  # the last answer has no valid score
        ],
    )
    assert _pairs(personas, change.LAST) == {"total": (1.0, 3.0), "connectedness": (1.0, 2.0)}


def test_last_answer_pairing_takes_no_score_from_before_the_period(instruments, personas):
    _citizen(
        personas,
        instruments["brobyg-chime"],
        [
            (date(2025, 1, 1), BASELINE, 1.0, 1.0),
            (date(2025, 2, 1), "manual_1", 2.0, 2.0),  # valid, but before the period
            (date(2025, 6, 1), "manual_2", None, 3.0),
        ],
    )
    assert _pairs(personas, change.LAST) == {"total": (1.0, None), "connectedness": (1.0, 3.0)}


def test_a_timepoint_pairs_its_first_valid_score_of_each_scale(instruments, personas):
    _citizen(
        personas,
        instruments["brobyg-chime"],
        [
            (date(2025, 1, 1), BASELINE, 1.0, 1.0),
            (date(2024, 12, 1), M3, 9.0, 9.0),  # before the start
            (date(2025, 4, 1), M3, None, 2.0),
            (date(2025, 4, 2), M3, 3.0, 4.0),
        ],
    )
    assert _pairs(personas, M3) == {"total": (1.0, 3.0), "connectedness": (1.0, 2.0)}
    # Its first valid score on a scale falls before the period: that scale is not paired.
    assert _pairs(personas, M3, date(2025, 4, 2), END) == {
        "total": (1.0, 3.0),
        "connectedness": (1.0, None),
    }


def test_the_start_answer_without_a_valid_score_is_not_replaced(instruments, personas):
    _citizen(
        personas,
        instruments["brobyg-chime"],
        [
            (date(2025, 3, 1), BASELINE, None, 1.0),
            (date(2025, 3, 2), "manual_1", 2.0, 2.0),
            (date(2025, 6, 1), M3, 3.0, 3.0),
        ],
    )
    for follow_up in (change.LAST, M3):
        assert _pairs(personas, follow_up) == {"total": (None, 3.0), "connectedness": (1.0, 3.0)}


def test_without_a_start_answer_a_timepoint_has_no_follow_up(instruments, personas):
    _citizen(
        personas,
        instruments["brobyg-chime"],
        [(date(2025, 3, 1), "manual_1", 1.0, 1.0), (date(2025, 6, 1), M3, 3.0, 3.0)],
    )
    assert _pairs(personas, M3) == {"total": (None, None), "connectedness": (None, None)}
    # Pairing on the last answer starts at the first answer.
    assert _pairs(personas, change.LAST) == {"total": (1.0, 3.0), "connectedness": (1.0, 3.0)}
