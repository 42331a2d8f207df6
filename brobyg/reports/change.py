"""Citizens' change on a questionnaire between two timepoints, aggregated in the database.

Who counts (the report shows this text, see ``PAIRING_TEXT`` in ``report.py``):

- The citizens of the chosen organisations (and programmes) with at least one completed answer
  to the questionnaire within the period, except citizens whose latest evaluation consent is a
  withdrawal.
- Pairing ``last`` (default): t1 is the citizen's answer marked "at the start" (baseline), or
  their first answer if none is marked, up to the period's end; t2 is their last answer within the
  period given on a later day than t1.
- Pairing on a timepoint (``followup_3m``, ``followup_6m``, ``end``): t1 is the baseline answer,
  t2 the answer at that timepoint, both up to the period's end.
- A response belongs to a programme by its own programme; an imported or manual response without
  one belongs to the programmes the citizen asked for support in.

The database does the pairing (window functions, standard SQL on SQLite and PostgreSQL) and
returns a frequency table (scale, score at t1, score at t2, number of citizens), NULL where a
citizen has no valid score at that side. Scores are stored with two decimals, so the table is
small however many citizens there are; it is expanded back into one value per citizen for the
statistics, which then equal the figures computed from the raw rows.

The SQL is fixed text with ``%s`` parameters; only the number of placeholders in an ``IN (...)``
list is generated.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection, transaction

from brobyg.outcomes.models import Instrument

LAST = "last"
FOLLOW_UPS = (LAST, "followup_3m", "followup_6m", "end")


@dataclass(frozen=True)
class Filter:
    organisation_ids: tuple[int, ...]
    programme_ids: tuple[int, ...]  # empty: every programme, and responses without one
    start: date
    end: date
    peer_kind: str = ""  # "paid" / "volunteer": only citizens with an active match of that kind


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _where(flt: Filter, instrument_ids: list[int]) -> tuple[str, list]:
    """The conditions every response of the report meets (without the period)."""
    sql = [
        f"r.organisation_id IN ({_placeholders(flt.organisation_ids)})",
        f"r.instrument_id IN ({_placeholders(instrument_ids)})",
        "r.completed_at IS NOT NULL",
        "r.citizen_id IS NOT NULL",
        "r.answered_on <= %s",
        f"""r.citizen_id NOT IN (
            SELECT c.citizen_id FROM people_consent c
            WHERE c.purpose = 'evaluation' AND c.given = %s
              AND c.organisation_id IN ({_placeholders(flt.organisation_ids)})
              AND NOT EXISTS (
                SELECT 1 FROM people_consent later
                WHERE later.citizen_id = c.citizen_id AND later.purpose = 'evaluation'
                  AND (later.recorded_at > c.recorded_at
                       OR (later.recorded_at = c.recorded_at AND later.id > c.id))))""",  # noqa: S608
    ]
    params: list = [
        *flt.organisation_ids,
        *instrument_ids,
        flt.end,
        False,
        *flt.organisation_ids,
    ]
    if flt.programme_ids:
        marks = _placeholders(flt.programme_ids)
        sql.append(
            f"""(r.programme_id IN ({marks})
            OR (r.programme_id IS NULL AND r.citizen_id IN (
                SELECT q.citizen_id FROM intake_supportrequest q
                WHERE q.programme_id IN ({marks}))))"""  # noqa: S608
        )
        params += [*flt.programme_ids, *flt.programme_ids]
    if flt.peer_kind:
        sql.append(
            f"""r.citizen_id IN (
            SELECT m.citizen_id FROM matching_match m JOIN people_peer p ON p.id = m.peer_id
            WHERE m.activated_at IS NOT NULL AND p.kind = %s
              AND m.organisation_id IN ({_placeholders(flt.organisation_ids)}))"""  # noqa: S608
        )
        params += [flt.peer_kind, *flt.organisation_ids]
    return " AND ".join(sql), params


# Both pairings read each response once, in citizen order: a window over the whole citizen
# (no sort inside it) gives the days that matter, and a grouped pass over the few rows on
# those days picks the responses. A citizen answered within the period when their last answer
# up to the period's end is on or after its start.
PAIRS_LAST = """
WITH answers AS (
    SELECT r.id, r.citizen_id, r.answered_on, r.timepoint,
        MIN(CASE WHEN r.timepoint = 'baseline' THEN r.answered_on END) OVER citizen
            AS baseline_day,
        MIN(r.answered_on) OVER citizen AS first_day,
        MAX(r.answered_on) OVER citizen AS last_day
    FROM outcomes_response r
    WHERE {where}
    WINDOW citizen AS (PARTITION BY r.citizen_id)
),
days AS (
    SELECT id, citizen_id, answered_on, timepoint, baseline_day, last_day,
        COALESCE(baseline_day, first_day) AS start_day
    FROM answers WHERE last_day >= %s
),
pairs AS (
    SELECT citizen_id,
        MIN(CASE WHEN answered_on = start_day
            AND (baseline_day IS NULL OR timepoint = 'baseline') THEN id END) AS first_id,
        MAX(CASE WHEN answered_on = last_day AND last_day > start_day THEN id END) AS last_id
    FROM days WHERE answered_on = start_day OR answered_on = last_day
    GROUP BY citizen_id
)
"""

PAIRS_TIMEPOINT = """
WITH answers AS (
    SELECT r.id, r.citizen_id, r.answered_on, r.timepoint,
        MIN(CASE WHEN r.timepoint = 'baseline' THEN r.answered_on END) OVER citizen
            AS baseline_day,
        MIN(CASE WHEN r.timepoint = %s THEN r.answered_on END) OVER citizen AS follow_up_day,
        MAX(r.answered_on) OVER citizen AS last_day
    FROM outcomes_response r
    WHERE {where}
    WINDOW citizen AS (PARTITION BY r.citizen_id)
),
pairs AS (
    SELECT citizen_id,
        MIN(CASE WHEN timepoint = 'baseline' AND answered_on = baseline_day THEN id END)
            AS first_id,
        MIN(CASE WHEN timepoint = %s AND answered_on = follow_up_day THEN id END) AS last_id
    FROM answers
    WHERE last_day >= %s AND timepoint IN ('baseline', %s)
    GROUP BY citizen_id
)
"""

# One row per citizen in ``pairs`` and scale in ``scales``: every join below is a lookup by
# (response id, scale) answered by the score index alone (``score_values`` in outcomes).
# A side without a valid score gives NULL.
TABLE = """
, scales AS ({scales})
SELECT scales.scale, s1.value, s2.value, COUNT(*)
FROM pairs
CROSS JOIN scales
LEFT JOIN outcomes_score s1 ON s1.response_id = pairs.first_id AND s1.scale = scales.scale
LEFT JOIN outcomes_score s2 ON s2.response_id = pairs.last_id AND s2.scale = scales.scale
GROUP BY scales.scale, s1.value, s2.value
"""


def _scales_sql(scales: list[str]) -> str:
    return " UNION ALL ".join(["SELECT CAST(%s AS VARCHAR(32)) AS scale"] * len(scales))


def instrument_ids(code: str) -> list[int]:
    return list(Instrument.objects.filter(code=code).values_list("pk", flat=True))


def change_table(flt: Filter, code: str, follow_up: str = LAST) -> list[tuple]:
    """Rows (scale, t1 score or None, t2 score or None, number of citizens); a citizen with
    neither score on a scale gives a row (scale, None, None, n) too."""
    if follow_up not in FOLLOW_UPS:
        raise ValueError(f"follow_up must be one of {FOLLOW_UPS}.")
    instruments = list(Instrument.objects.filter(code=code))
    if not instruments or not flt.organisation_ids:
        return []
    ids = [instrument.pk for instrument in instruments]
    scales = sorted({scale for instrument in instruments for scale in instrument.spec.score_scales})
    where, where_params = _where(flt, ids)
    table = TABLE.format(scales=_scales_sql(scales))
    if follow_up == LAST:
        sql = PAIRS_LAST.format(where=where).rstrip() + table
        params = [*where_params, flt.start, *scales]
    else:
        sql = PAIRS_TIMEPOINT.format(where=where).rstrip() + table
        params = [follow_up, *where_params, follow_up, flt.start, follow_up, *scales]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Compiling this query just in time takes longer than running it (measured: 2 s
            # on a 1.5 s query at national scale, benchmarks/report.py).
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def expand(rows, scale: str) -> tuple[np.ndarray, np.ndarray]:
    """One (t1, t2) value per citizen for one scale from the frequency table, NaN where missing."""
    picked = [(v1, v2, count) for row_scale, v1, v2, count in rows if row_scale == scale]
    if not picked:
        return np.empty(0), np.empty(0)
    counts = np.array([count for _v1, _v2, count in picked], dtype=np.int64)
    first = np.array([np.nan if v1 is None else v1 for v1, _v2, _c in picked], dtype=float)
    second = np.array([np.nan if v2 is None else v2 for _v1, v2, _c in picked], dtype=float)
    return np.repeat(first, counts), np.repeat(second, counts)
