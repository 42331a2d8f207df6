"""Citizens' change on a questionnaire between two timepoints, aggregated in the database.

The rules (the report states them, made from the constants below: ``pairing_texts`` in
``texts.py``):

- Who counts: the citizens of the chosen organisations (and programmes) with at least one
  completed answer to the questionnaire within the period, except citizens whose latest
  evaluation consent is a withdrawal. Answers after the period's end are never read.
- The start (t1) is one answer: the citizen's first answer marked ``START_TIMEPOINT`` up to the
  period's end (it may be before the period); with pairing ``LAST`` and no such answer, the
  citizen's first answer. Several answers on one day: the first recorded (lowest id). A scale
  without a valid score in that answer has no start score (no other answer stands in for it).
- A follow-up (t2) is always given on a later day than the start answer, never before it or on
  the same day, and is chosen per scale among the answers with a valid score on that scale:
- Pairing ``LAST`` (default): the last valid score within the period (latest day, then the last
  recorded answer).
- Pairing on a timepoint (``followup_3m``, ``followup_6m``, ``end``): the first valid score
  among the answers marked with that timepoint. The pair belongs to the period in which that
  answer was given, so it is counted in one period only; one given before the period is not
  used (and a citizen without a start answer has no follow-up).
- A response belongs to a programme by its own programme; an imported or manual response without
  one belongs to the programmes the citizen asked for support in.

The database does the pairing in one pass (window functions, standard SQL on SQLite and
PostgreSQL) and returns a frequency table (scale, score at t1, score at t2, number of citizens),
NULL where a citizen has no valid score at that side. The pass picks one start and one follow-up
answer per citizen; only where that follow-up answer has no valid score on a scale does a
correlated look-up (through the response index on organisation, citizen and instrument, and the
score index) find the answer that has one. Each answer's scores are read with one look-up of
the score index (all its scales at once), not one per scale. Scores are stored with two
decimals, so the table is small however many citizens there are; it is expanded back into one
value per citizen for the statistics, which then equal the figures computed from the raw rows.

Over many citizens (``REPORT_PAIRING_SPLIT_FROM``, on PostgreSQL) the pairing is split by
ranges of citizen ids over ``REPORT_PAIRING_CONNECTIONS`` connections that run at once, one per
core; each imports the snapshot of the caller's transaction, so all parts read the same data.
With a read replica configured, the pairing reads from it like the rest of the report.

The SQL is fixed text with ``%s`` parameters; only the number of placeholders (in an ``IN (...)``
list, one per scale) and the scales' numbered columns are generated.
"""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings
from django.db import connections, transaction
from psycopg.sql import SQL, Literal

from brobyg.lib.replica import read_alias
from brobyg.outcomes.models import Instrument

LAST = "last"
# The timepoint of a start answer, and those a follow-up can be paired on.
START_TIMEPOINT = "baseline"
TIMEPOINTS = ("followup_3m", "followup_6m", "end")
FOLLOW_UPS = (LAST, *TIMEPOINTS)


@dataclass(frozen=True)
class Filter:
    organisation_ids: tuple[int, ...]
    programme_ids: tuple[int, ...]  # empty: every programme, and responses without one
    start: date
    end: date
    peer_kind: str = ""  # "paid" / "volunteer": only citizens with a match or course of that kind


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _response_where(flt: Filter, instrument_ids: list[int]) -> tuple[str, list]:
    """The conditions on each response of the report (without the period's start)."""
    sql = [
        f"r.organisation_id IN ({_placeholders(flt.organisation_ids)})",
        f"r.instrument_id IN ({_placeholders(instrument_ids)})",
        "r.completed_at IS NOT NULL",
        "r.citizen_id IS NOT NULL",
        "r.answered_on <= %s",
    ]
    params: list = [*flt.organisation_ids, *instrument_ids, flt.end]
    if flt.programme_ids:
        marks = _placeholders(flt.programme_ids)
        sql.append(
            f"""(r.programme_id IN ({marks})
            OR (r.programme_id IS NULL AND r.citizen_id IN (
                SELECT q.citizen_id FROM intake_supportrequest q
                WHERE q.programme_id IN ({marks}))))"""  # noqa: S608
        )
        params += [*flt.programme_ids, *flt.programme_ids]
    return " AND ".join(sql), params


def _where(flt: Filter, instrument_ids: list[int]) -> tuple[str, list]:
    """The conditions every response of the report meets (without the period's start): those
    on the response, and those on its citizen (consent, the kind of peer)."""
    response_sql, params = _response_where(flt, instrument_ids)
    sql = [
        response_sql,
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
    params += [False, *flt.organisation_ids]
    if flt.peer_kind:
        # Supported by a peer of that kind: an activated match, or a course with such a peer
        # (a course is also started by hand, imported or handed over, without a match).
        sql.append(
            f"""r.citizen_id IN (
            SELECT m.citizen_id FROM matching_match m JOIN people_peer p ON p.id = m.peer_id
            WHERE m.activated_at IS NOT NULL AND p.kind = %s
              AND m.organisation_id IN ({_placeholders(flt.organisation_ids)})
            UNION
            SELECT c.citizen_id FROM support_course c
              JOIN support_course_peers cp ON cp.course_id = c.id
              JOIN people_peer cpp ON cpp.id = cp.peer_id
            WHERE cpp.kind = %s
              AND c.organisation_id IN ({_placeholders(flt.organisation_ids)}))"""  # noqa: S608
        )
        params += [flt.peer_kind, *flt.organisation_ids, flt.peer_kind, *flt.organisation_ids]
    return " AND ".join(sql), params


# Both pairings read each response once, in citizen order: a window over the whole citizen
# (no sort inside it) gives the days that matter, and a grouped pass over the few rows on
# those days picks one start and one follow-up answer per citizen (``pairs``: first_id,
# start_day, last_id, last_day). A citizen answered within the period when their last answer
# up to the period's end is on or after its start. ``LAST`` also notes the answer before the
# last one (prev_id, on prev_day, the latest day before the last; last_count answers on the
# last day), where a scale without a valid score in the last answer most often finds one.
# Parameters: the start timepoint, the conditions, the period's start, the start timepoint.
PAIRS_LAST = """
WITH answers AS (
    SELECT r.id, r.citizen_id, r.answered_on, r.timepoint,
        MIN(CASE WHEN r.timepoint = %s THEN r.answered_on END) OVER citizen AS baseline_day,
        MIN(r.answered_on) OVER citizen AS first_day,
        MAX(r.answered_on) OVER citizen AS last_day
    FROM outcomes_response r
    WHERE {where}
    WINDOW citizen AS (PARTITION BY r.citizen_id)
),
days AS (
    SELECT id, citizen_id, answered_on, timepoint, baseline_day, last_day,
        COALESCE(baseline_day, first_day) AS start_day,
        MAX(CASE WHEN answered_on < last_day THEN answered_on END) OVER citizen AS prev_day
    FROM answers WHERE last_day >= %s
    WINDOW citizen AS (PARTITION BY citizen_id)
),
pairs AS (
    SELECT citizen_id, MIN(start_day) AS start_day, MIN(last_day) AS last_day,
        MIN(CASE WHEN answered_on = start_day
            AND (baseline_day IS NULL OR timepoint = %s) THEN id END) AS first_id,
        MAX(CASE WHEN answered_on = last_day AND last_day > start_day THEN id END) AS last_id,
        MIN(prev_day) AS prev_day,
        MAX(CASE WHEN answered_on = prev_day THEN id END) AS prev_id,
        SUM(CASE WHEN answered_on = last_day THEN 1 ELSE 0 END) AS last_count
    FROM days
    WHERE answered_on = start_day OR answered_on = last_day OR answered_on = prev_day
    GROUP BY citizen_id
)
"""

# The follow-up day is the first day after the start answer's with an answer at the timepoint;
# only the citizen's answers at the start and at the timepoint are read after the first window.
# Parameters: the start timepoint, the conditions, the timepoint, the period's start, the start
# timepoint and the timepoint, the start timepoint, the timepoint.
PAIRS_TIMEPOINT = """
WITH answers AS (
    SELECT r.id, r.citizen_id, r.answered_on, r.timepoint,
        MIN(CASE WHEN r.timepoint = %s THEN r.answered_on END) OVER citizen AS baseline_day,
        MAX(r.answered_on) OVER citizen AS last_in_period
    FROM outcomes_response r
    WHERE {where}
    WINDOW citizen AS (PARTITION BY r.citizen_id)
),
days AS (
    SELECT id, citizen_id, answered_on, timepoint, baseline_day,
        MIN(CASE WHEN timepoint = %s AND answered_on > baseline_day THEN answered_on END)
            OVER citizen AS follow_up_day
    FROM answers
    WHERE last_in_period >= %s AND timepoint IN (%s, %s)
    WINDOW citizen AS (PARTITION BY citizen_id)
),
pairs AS (
    SELECT citizen_id, MIN(baseline_day) AS start_day, MIN(follow_up_day) AS last_day,
        MIN(CASE WHEN timepoint = %s AND answered_on = baseline_day THEN id END) AS first_id,
        MIN(CASE WHEN timepoint = %s AND answered_on = follow_up_day THEN id END) AS last_id,
        CAST(NULL AS DATE) AS prev_day, CAST(NULL AS BIGINT) AS prev_id, 0 AS last_count
    FROM days
    GROUP BY citizen_id
)
"""

# The scores of each pair's two answers, one row per answer with a column per scale (``v0``,
# ``v1``, ...; NULL without a valid score): one look-up of the score index per answer reads all
# its scales at once. Then one row per citizen in ``pairs`` and scale in ``scales``, counted by
# (scale, t1, t2) at once. Where the follow-up answer has no valid score on a scale, the citizen
# is kept apart (``look_up``) and, in the small outer query, their answer that has one is found:
# with ``LAST``, nothing when no other answer is in reach, else the answer before the last one
# where it is the next in line and has a valid score (one index look-up), else the full look-up.
# The rows found that way are added up in Python: grouping again in SQL would make PostgreSQL
# sort all the pairs instead of hashing them (a group key with a subquery cannot be hashed).
# Parameters: the scales (numbered, and once per column of each side), (a timepoint: the
# period's start), the period's start, (a timepoint: the period's start), the response
# conditions, the period's start (``LAST``: the answer must be within it) or the timepoint.
TABLE = """
, scales AS ({scales})
, first_scores AS (
    SELECT pairs.citizen_id, {columns}
    FROM pairs JOIN outcomes_score s ON s.response_id = pairs.first_id
    GROUP BY pairs.citizen_id
)
, last_scores AS (
    SELECT pairs.citizen_id, {columns}
    FROM pairs JOIN outcomes_score s ON s.response_id = pairs.last_id
    GROUP BY pairs.citizen_id
)
, scored AS MATERIALIZED (
    SELECT pairs.*, {s1_columns}, {s2_columns}
    FROM pairs
    LEFT JOIN first_scores s1 ON s1.citizen_id = pairs.citizen_id
    LEFT JOIN last_scores s2 ON s2.citizen_id = pairs.citizen_id
)
, sides AS (
    SELECT scales.scale AS scale, {first} AS v1, {use} AS v2,
        CASE WHEN {last} IS NULL AND pairs.last_id IS NOT NULL THEN pairs.citizen_id END
            AS look_up,
        MIN(pairs.start_day) AS after_day, MIN(pairs.prev_day) AS prev_day,
        MIN(pairs.prev_id) AS prev_id, MIN(pairs.last_count) AS last_count,
        COUNT(*) AS n
    FROM scored AS pairs
    CROSS JOIN scales
    GROUP BY 1, 2, 3, 4
)
SELECT scale, v1,
    CASE WHEN look_up IS NULL THEN v2
        WHEN last_count = 1
            AND (prev_day IS NULL OR prev_day <= after_day OR prev_day < %s) THEN NULL
        ELSE COALESCE(
            CASE WHEN last_count = 1 THEN (
                SELECT s.value FROM outcomes_score s
                WHERE s.response_id = sides.prev_id AND s.scale = sides.scale) END,
            (SELECT {use_found} FROM outcomes_response r
            JOIN outcomes_score s ON s.response_id = r.id AND s.scale = sides.scale
            WHERE r.citizen_id = sides.look_up AND {where}
              AND {which} AND r.answered_on > sides.after_day AND s.value IS NOT NULL
            ORDER BY r.answered_on {order}, r.id {order} LIMIT 1))
    END,
    n
FROM sides
"""
# ``LAST``: the latest answer within the period with a valid score.
TABLE_LAST = {
    "use": "{last}",
    "use_found": "s.value",
    "which": "r.answered_on >= %s",
    "order": "DESC",
}
# A timepoint: the first answer at the timepoint with a valid score; it counts when it was
# given within the period (parameters: the period's start, in ``sides`` and in the look-up).
TABLE_TIMEPOINT = {
    "use": "CASE WHEN pairs.last_day >= %s THEN {last} END",
    "use_found": "CASE WHEN r.answered_on >= %s THEN s.value END",
    "which": "r.timepoint = %s",
    "order": "ASC",
}


def _table_sql(scales: list[str], where: str, pairing: dict) -> str:
    """``TABLE`` for these scales: only the number of placeholders and the numbered columns
    (``v0``, ``v1``, ...) are generated, never a value."""
    numbers = range(len(scales))
    scales_sql = " UNION ALL ".join(
        [f"SELECT {i} AS i, CAST(%s AS VARCHAR(32)) AS scale" for i in numbers]
    )
    columns = ", ".join(f"MAX(CASE WHEN s.scale = %s THEN s.value END) AS v{i}" for i in numbers)

    def side(prefix: str) -> str:
        whens = " ".join(f"WHEN {i} THEN pairs.{prefix}{i}" for i in numbers)
        return f"(CASE scales.i {whens} END)"

    last = side("b")
    return TABLE.format(
        scales=scales_sql,
        columns=columns,
        s1_columns=", ".join(f"s1.v{i} AS a{i}" for i in numbers),
        s2_columns=", ".join(f"s2.v{i} AS b{i}" for i in numbers),
        first=side("a"),
        last=last,
        where=where,
        use=pairing["use"].format(last=last),
        use_found=pairing["use_found"],
        which=pairing["which"],
        order=pairing["order"],
    )


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
    response_where, response_params = _response_where(flt, ids)
    pairing = TABLE_LAST if follow_up == LAST else TABLE_TIMEPOINT
    table = _table_sql(scales, response_where, pairing)

    def query(bounds=None) -> tuple[str, list]:
        """The SQL and its parameters, for the citizens with an id within ``bounds`` if given
        (a condition the citizen index answers)."""
        where, where_params = _where(flt, ids)
        if bounds is not None:
            where = f"{where} AND r.citizen_id BETWEEN %s AND %s"
            where_params = [*where_params, *bounds]
        if follow_up == LAST:
            params = [START_TIMEPOINT, *where_params, flt.start, START_TIMEPOINT]
            params += [*scales, *scales, *scales, flt.start, *response_params, flt.start]
            return PAIRS_LAST.format(where=where).rstrip() + table, params
        params = [START_TIMEPOINT, *where_params, follow_up, flt.start, START_TIMEPOINT]
        params += [follow_up, START_TIMEPOINT, follow_up, *scales, *scales, *scales]
        params += [flt.start, flt.start, flt.start, *response_params, follow_up]
        return PAIRS_TIMEPOINT.format(where=where).rstrip() + table, params

    alias = read_alias()
    postgresql = connections[alias].vendor == "postgresql"
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        ranges = _citizen_ranges(cursor, flt) if postgresql else []
        if not ranges:
            if postgresql:
                _postgresql_settings(cursor)
            cursor.execute(*query())
            parts = [cursor.fetchall()]
        else:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            with ThreadPoolExecutor(max_workers=len(ranges)) as pool:
                parts = list(
                    pool.map(lambda bounds: _table_part(alias, snapshot, *query(bounds)), ranges)
                )
    table_rows = Counter()
    for rows in parts:
        for scale, t1, t2, count in rows:
            table_rows[(scale, t1, t2)] += count
    return [(*key, count) for key, count in table_rows.items()]


def _postgresql_settings(cursor) -> None:
    """For this transaction only, in one statement (``set_config(..., true)`` is ``SET LOCAL``;
    just-in-time compilation is off for every connection, see settings). Count the pairs by
    hashing, in memory, never by sorting them (an external merge of half a million rows, with
    the scales as the outer loop): the estimates of ``pairs`` are far too low for the planner
    to see it (measured at national scale: about 30,000 groups, 8 MB)."""
    cursor.execute(
        "SELECT set_config('enable_sort', 'off', true), "
        "set_config('enable_incremental_sort', 'off', true), "
        "set_config('work_mem', '32MB', true)"
    )


LARGEST_ID = 2**63 - 1


def _citizen_ranges(cursor, flt: Filter) -> list[tuple[int, int]]:
    """The citizens' id ranges of a pairing split over ``REPORT_PAIRING_CONNECTIONS``
    connections (PostgreSQL runs one query on one core), or none when the organisations have
    fewer than ``REPORT_PAIRING_SPLIT_FROM`` citizens: opening a connection costs more than
    it saves there."""
    connections_wanted = settings.REPORT_PAIRING_CONNECTIONS
    if connections_wanted < 2:
        return []
    cursor.execute(
        "SELECT COUNT(*), MIN(id), MAX(id) FROM people_citizen "  # noqa: S608
        f"WHERE organisation_id IN ({_placeholders(flt.organisation_ids)})",
        list(flt.organisation_ids),
    )
    count, lowest, highest = cursor.fetchone()
    if count < settings.REPORT_PAIRING_SPLIT_FROM:
        return []
    step = (highest - lowest + connections_wanted) // connections_wanted
    ranges = [[low, low + step - 1] for low in range(lowest, highest + 1, step)]
    # Open at both ends, so that no answer is left out whatever its citizen's id.
    ranges[0][0], ranges[-1][1] = 0, LARGEST_ID
    return [tuple(bounds) for bounds in ranges]


def _table_part(alias: str, snapshot: str, sql: str, params: list) -> list[tuple]:
    """One part of a split pairing, on a connection of its own (this thread's) that sees the
    data exactly as the caller's transaction does: it imports that transaction's snapshot, as
    ``pg_dump --jobs`` does."""
    connection = connections[alias]
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # A utility statement takes no bound parameter: the id goes in as a quoted literal.
            cursor.execute(SQL("SET TRANSACTION SNAPSHOT {}").format(Literal(snapshot)))
            _postgresql_settings(cursor)
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def expand(rows, scale: str) -> tuple[np.ndarray, np.ndarray]:
    """One (t1, t2) value per citizen for one scale from the frequency table, NaN where missing."""
    picked = [(v1, v2, count) for row_scale, v1, v2, count in rows if row_scale == scale]
    if not picked:
        return np.empty(0), np.empty(0)
    counts = np.array([count for _v1, _v2, count in picked], dtype=np.int64)
    first = np.array([np.nan if v1 is None else v1 for v1, _v2, _c in picked], dtype=float)
    second = np.array([np.nan if v2 is None else v2 for _v1, v2, _c in picked], dtype=float)
    return np.repeat(first, counts), np.repeat(second, counts)
