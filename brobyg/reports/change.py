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
from django.db import connection

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


def _where(
    flt: Filter, instrument_ids: list[int], *, alias: str = "r", org_index: bool = True
) -> tuple[str, list]:
    """The conditions every response of the report meets (without the period).

    ``org_index=False`` writes the organisation test as ``+organisation_id``: the same test, but
    SQLite then does not use the (organisation, citizen) index for it, which for many
    organisations would probe each of them for every citizen; the citizen index is used."""
    organisation = f"{alias}.organisation_id" if org_index else f"+{alias}.organisation_id"
    sql = [
        f"{organisation} IN ({_placeholders(flt.organisation_ids)})",
        f"{alias}.instrument_id IN ({_placeholders(instrument_ids)})",
        f"{alias}.completed_at IS NOT NULL",
        f"{alias}.citizen_id IS NOT NULL",
        f"{alias}.answered_on <= %s",
        f"""{alias}.citizen_id NOT IN (
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
            f"""({alias}.programme_id IN ({marks})
            OR ({alias}.programme_id IS NULL AND {alias}.citizen_id IN (
                SELECT q.citizen_id FROM intake_supportrequest q
                WHERE q.programme_id IN ({marks}))))"""  # noqa: S608
        )
        params += [*flt.programme_ids, *flt.programme_ids]
    if flt.peer_kind:
        sql.append(
            f"""{alias}.citizen_id IN (
            SELECT m.citizen_id FROM matching_match m JOIN people_peer p ON p.id = m.peer_id
            WHERE m.activated_at IS NOT NULL AND p.kind = %s
              AND m.organisation_id IN ({_placeholders(flt.organisation_ids)}))"""  # noqa: S608
        )
        params += [flt.peer_kind, *flt.organisation_ids]
    return " AND ".join(sql), params


def _base(flt: Filter, instrument_ids: list[int]) -> tuple[str, list]:
    """Responses up to the period's end of the citizens who answered within the period."""
    outer, outer_params = _where(flt, instrument_ids, alias="r", org_index=False)
    inner, inner_params = _where(flt, instrument_ids, alias="w")
    # Driven by the citizens who answered within the period (one index lookup per citizen),
    # not by the organisations' index, which would probe every organisation for every citizen.
    sql = f"""
        SELECT r.id, r.citizen_id, r.answered_on, r.timepoint
        FROM (
            SELECT DISTINCT w.citizen_id FROM outcomes_response w
            WHERE {inner} AND w.answered_on >= %s
        ) period
        JOIN outcomes_response r ON r.citizen_id = period.citizen_id
        WHERE {outer}"""  # noqa: S608
    return sql, [*inner_params, flt.start, *outer_params]


PAIRS_LAST = """
WITH base AS ({base}),
ranked AS (
    SELECT id, citizen_id, answered_on,
        ROW_NUMBER() OVER starting AS from_start,
        FIRST_VALUE(answered_on) OVER starting AS first_day,
        ROW_NUMBER() OVER (PARTITION BY citizen_id ORDER BY answered_on DESC, id DESC) AS from_end
    FROM base
    WINDOW starting AS (
        PARTITION BY citizen_id
        ORDER BY CASE WHEN timepoint = 'baseline' THEN 0 ELSE 1 END, answered_on, id
    )
),
pairs AS (
    SELECT citizen_id,
        MAX(CASE WHEN from_start = 1 THEN id END) AS first_id,
        MAX(CASE WHEN from_end = 1 AND answered_on > first_day AND answered_on >= %s
            THEN id END) AS last_id
    FROM ranked GROUP BY citizen_id
)
"""

PAIRS_TIMEPOINT = """
WITH base AS ({base}),
ranked AS (
    SELECT id, citizen_id, timepoint,
        ROW_NUMBER() OVER (PARTITION BY citizen_id, timepoint ORDER BY answered_on, id) AS nth
    FROM base WHERE timepoint IN ('baseline', %s)
),
pairs AS (
    SELECT citizen_id,
        MAX(CASE WHEN timepoint = 'baseline' AND nth = 1 THEN id END) AS first_id,
        MAX(CASE WHEN timepoint = %s AND nth = 1 THEN id END) AS last_id
    FROM ranked GROUP BY citizen_id
)
"""

# One row per citizen in ``pairs`` and scale in ``scales``: every join below is an index lookup
# by (response id, scale). A side without a valid score gives NULL.
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
    base, base_params = _base(flt, ids)
    table = TABLE.format(scales=_scales_sql(scales))
    if follow_up == LAST:
        sql = PAIRS_LAST.format(base=base).rstrip() + table
        params = [*base_params, flt.start, *scales]
    else:
        sql = PAIRS_TIMEPOINT.format(base=base).rstrip() + table
        params = [*base_params, follow_up, follow_up, *scales]
    with connection.cursor() as cursor:
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
