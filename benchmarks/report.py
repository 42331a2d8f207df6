"""How long the evaluation report's CHIME figures take at national scale, against hand-written SQL.

Run from the repository root:

    .venv/bin/python benchmarks/report.py [--citizens 100000] [--answers 1000000] [--seed 2025]

It migrates a fresh SQLite database in a temporary folder (or the empty database in
BENCHMARK_DATABASE_URL, never the DATABASE_URL of the app itself, e.g.
an empty PostgreSQL one), loads the shipped instruments, and bulk-loads invented data: 20
organisations, ``--citizens`` citizens and ``--answers`` completed CHIME check-ins (each with its
six scores: total and five domains), spread over three years with realistic change, and
``--sessions`` held support-course sessions (one course per citizen with sessions, ten peers per
organisation, forms and kinds mixed).

It then times, in the same process and with warm caches (best of three):

- ``seconds``: the report's own computation (``brobyg.reports.report.instrument_change`` over all
  organisations for the last year, first/last pairing: pairing in the database, the frequency
  table back, every statistic per scale including Wilcoxon and the exact dz interval);
- ``sql_seconds``: a hand-written SQL aggregation of the same pairing that returns per scale the
  n at start, at follow-up and paired, the two means and the mean and sum of squares of the
  change.

It also prints, on stderr, how long the report's activity figures for courses and sessions take
over the same data (``# activity``).

It checks the two agree (counts equal, means and standard deviations to 1e-9) and prints

    RESULT report citizens=<n> answers=<n> sessions=<n> seconds=<s> sql_seconds=<s>

Targets (PostgreSQL): seconds <= 2 and seconds <= 1.5 x sql_seconds.
"""

import argparse
import math
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORGANISATIONS = 20
BATCH = 20_000

# The pairing of ``brobyg/reports/change.py`` written the straightforward way: numbered windows
# for the start answer, and for the follow-up, per citizen and scale, the last valid score within
# the period from an answer on a later day than the start answer.
HAND_SQL = """
WITH answers AS (
    SELECT r.id, r.citizen_id, r.answered_on,
        CASE WHEN r.timepoint = 'baseline' THEN 0 ELSE 1 END AS later_kind
    FROM outcomes_response r
    WHERE r.instrument_id = %s AND r.completed_at IS NOT NULL AND r.answered_on <= %s
      AND r.citizen_id IN (
        SELECT citizen_id FROM outcomes_response
        WHERE instrument_id = %s AND completed_at IS NOT NULL AND citizen_id IS NOT NULL
          AND answered_on BETWEEN %s AND %s)
),
ordered AS (
    SELECT id, citizen_id, answered_on,
        ROW_NUMBER() OVER (PARTITION BY citizen_id ORDER BY later_kind, answered_on, id) AS k1,
        COALESCE(
            MIN(CASE WHEN later_kind = 0 THEN answered_on END) OVER (PARTITION BY citizen_id),
            MIN(answered_on) OVER (PARTITION BY citizen_id)) AS start_day
    FROM answers
),
scored AS (
    SELECT o.citizen_id, o.answered_on, o.id, o.k1, s.scale, s.value,
        CASE WHEN o.answered_on > o.start_day THEN 1 ELSE 0 END AS candidate
    FROM ordered o
    JOIN outcomes_score s ON s.response_id = o.id
    WHERE o.k1 = 1
       OR (o.answered_on > o.start_day AND o.answered_on >= %s AND s.value IS NOT NULL)
),
ranked AS (
    SELECT citizen_id, scale, k1, value, candidate,
        ROW_NUMBER() OVER (PARTITION BY citizen_id, scale, candidate
                           ORDER BY answered_on DESC, id DESC) AS k2
    FROM scored
),
per_citizen AS (
    SELECT scale,
        MAX(CASE WHEN k1 = 1 THEN value END) AS v1,
        MAX(CASE WHEN candidate = 1 AND k2 = 1 THEN value END) AS v2
    FROM ranked
    GROUP BY citizen_id, scale
)
SELECT scale,
    COUNT(v1),
    COUNT(v2),
    SUM(CASE WHEN v1 IS NOT NULL AND v2 IS NOT NULL THEN 1 ELSE 0 END),
    AVG(CASE WHEN v2 IS NOT NULL THEN v1 END),
    AVG(CASE WHEN v1 IS NOT NULL THEN v2 END),
    AVG(v2 - v1),
    SUM((v2 - v1) * (v2 - v1))
FROM per_citizen
GROUP BY scale
"""


def _insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    if cursor.db.vendor == "postgresql":
        # COPY: an order of magnitude faster than INSERT for millions of rows.
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start : start + BATCH])


def build(citizens: int, answers: int, seed: int, today: date) -> None:
    """Bulk-load organisations, citizens, responses and scores with explicit ids."""
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    from brobyg.orgs.models import Organisation
    from brobyg.outcomes.models import Instrument
    from brobyg.outcomes.scoring import score

    rng = random.Random(seed)
    ops = connection.ops
    with scopes_disabled():
        instrument = Instrument.objects.get(code="brobyg-chime", is_current=True)
        organisations = [
            Organisation.objects.create(name=f"Benchmark {number}", kind="municipality").pk
            for number in range(ORGANISATIONS)
        ]
    spec = instrument.spec
    now = ops.adapt_datetimefield_value(datetime.now(UTC))
    # Answers per citizen: at least one, the rest spread at random.
    per_citizen = [1] * citizens
    for _extra in range(max(0, answers - citizens)):
        per_citizen[rng.randrange(citizens)] += 1
    # A pool of answer patterns (scored once), drawn from by level.
    patterns = []
    for _pattern in range(4000):
        level = rng.uniform(0.1, 0.95)
        values = {}
        for item in spec.scored_items:
            if rng.random() < 0.03:
                continue
            value = round(4 * min(1, max(0, rng.gauss(level, 0.18))))
            values[item.id] = item.scale.reverse(value) if item.reverse else value
        results = score(spec, values)
        patterns.append((results["total"].value or 0, results))
    patterns.sort(key=lambda pattern: pattern[0])
    first_day = today - timedelta(days=3 * 365)
    response_rows, score_rows = [], []
    response_id = 0
    with transaction.atomic(), connection.cursor() as cursor:
        citizen_rows = [
            (
                number + 1,
                uuid.UUID(int=rng.getrandbits(128)).hex,
                organisations[number % ORGANISATIONS],
                f"B-{number}",
                "",
                "",
                "",
                "",
                "",
                "[]",
                "",
                "",
                "",
                "email",
                now,
                now,
            )
            for number in range(citizens)
        ]
        _insert(
            cursor,
            "people_citizen",
            [
                "id",
                "public_id",
                "organisation_id",
                "name",
                "phone",
                "email",
                "contact_times",
                "municipality",
                "gender",
                "languages",
                "services_contact",
                "cpr_encrypted",
                "cpr_digest",
                "contact_channel",
                "created_at",
                "updated_at",
            ],
            citizen_rows,
        )
        for number, count in enumerate(per_citizen):
            citizen_id = number + 1
            organisation = organisations[number % ORGANISATIONS]
            day = first_day + timedelta(days=rng.randrange(3 * 365))
            position = rng.uniform(0.15, 0.6)
            for nth in range(count):
                response_id += 1
                timepoint = (
                    ["baseline", "followup_3m", "followup_6m", "end"][nth]
                    if nth < 4
                    else f"manual_{nth}"
                )
                index = min(len(patterns) - 1, max(0, int(len(patterns) * position)))
                total, results = patterns[index]
                stamp = ops.adapt_datetimefield_value(
                    datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                )
                response_rows.append(
                    (
                        response_id,
                        uuid.UUID(int=rng.getrandbits(128)).hex,
                        organisation,
                        instrument.pk,
                        "citizen",
                        citizen_id,
                        timepoint,
                        "{}",
                        "{}",
                        0,
                        "da",
                        "imported",
                        stamp,
                        stamp,
                        ops.adapt_datefield_value(day),
                        total,
                        False,
                        False,
                    )
                )
                for result in results.values():
                    score_rows.append(
                        (
                            organisation,
                            response_id,
                            result.scale,
                            result.value,
                            result.raw,
                            result.answered,
                            result.missing,
                            result.prorated,
                        )
                    )
                day += timedelta(days=rng.randint(30, 120))
                position += rng.gauss(0.04, 0.08)
            if len(score_rows) > 6 * BATCH:
                _flush(cursor, response_rows, score_rows)
        _flush(cursor, response_rows, score_rows)


SESSION_FORMS = ["in_person"] * 6 + ["phone"] * 2 + ["video", "chat", "walk", "walk"]
SESSION_KINDS = ["conversation"] * 6 + ["activity"] * 3 + ["accompaniment"] * 2 + ["bridge"]


def build_sessions(citizens: int, sessions: int, seed: int, today: date) -> None:
    """Courses for the first citizens and their held sessions over the last three years."""
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    from brobyg.orgs.models import Organisation, Programme, User
    from brobyg.people.models import Peer

    if not sessions:
        return
    rng = random.Random(seed + 1)
    ops = connection.ops
    with scopes_disabled(), transaction.atomic():
        organisations = list(
            Organisation.objects.filter(name__startswith="Benchmark ").order_by("pk")
        )
        programmes, peers = {}, {}
        for organisation in organisations:
            programmes[organisation.pk] = Programme.objects.create(
                organisation=organisation,
                name="Peer-støtte",
                support_type="paid",
                model="separate",
                peer_role="special",
                minimum_age=18,
                legal_basis="public_task",
            ).pk
            users = User.objects.bulk_create(
                User(email=f"peer{number}@{organisation.pk}.bench", full_name=f"Peer {number}")
                for number in range(10)
            )
            peers[organisation.pk] = [
                peer.pk
                for peer in Peer.objects.bulk_create(
                    Peer(organisation=organisation, user=user, kind="paid", status="active")
                    for user in users
                )
            ]
    organisation_ids = [organisation.pk for organisation in organisations]
    with_courses = min(citizens, max(1, sessions // 20))
    now = ops.adapt_datetimefield_value(datetime.now(UTC))
    first_day = today - timedelta(days=3 * 365)
    with transaction.atomic(), connection.cursor() as cursor:
        course_rows, course_peer_rows, course_peer = [], [], {}
        for number in range(with_courses):
            course_id, organisation = number + 1, organisation_ids[number % ORGANISATIONS]
            peer = rng.choice(peers[organisation])
            course_peer[course_id] = (organisation, peer)
            started = ops.adapt_datefield_value(first_day + timedelta(days=rng.randrange(900)))
            course_rows.append(
                (course_id, uuid.UUID(int=rng.getrandbits(128)).hex, organisation,
                 programmes[organisation], number + 1, "active", started, "[]", "individual",
                 "", "", now)
            )  # fmt: skip
            course_peer_rows.append((course_id, peer))
        _insert(
            cursor,
            "support_course",
            ["id", "public_id", "organisation_id", "programme_id", "citizen_id", "status",
             "started_on", "purposes", "form", "end_reason", "end_words", "created_at"],
            course_rows,
        )  # fmt: skip
        _insert(cursor, "support_course_peers", ["course_id", "peer_id"], course_peer_rows)
        session_rows = []
        for _number in range(sessions):
            course_id = rng.randrange(with_courses) + 1
            organisation, peer = course_peer[course_id]
            moment = datetime.combine(
                first_day + timedelta(days=rng.randrange(3 * 365)),
                datetime.min.time(),
                tzinfo=UTC,
            ) + timedelta(hours=rng.randint(8, 19))
            stamp = ops.adapt_datetimefield_value(moment)
            session_rows.append(
                (uuid.UUID(int=rng.getrandbits(128)).hex, organisation, course_id, "held", stamp,
                 rng.choice((45, 60, 60, 90)), rng.choice(SESSION_FORMS),
                 rng.choice(SESSION_KINDS), "", "[]", "[]", "", "", peer, now, now)
            )  # fmt: skip
            if len(session_rows) >= 10 * BATCH:
                _flush_sessions(cursor, session_rows)
        _flush_sessions(cursor, session_rows)


def _flush_sessions(cursor, rows) -> None:
    _insert(
        cursor,
        "support_session",
        ["public_id", "organisation_id", "course_id", "status", "starts_at", "duration_minutes",
         "form", "kind", "place", "recovery_tools", "chime_themes", "note", "shared_with_team",
         "peer_id", "recorded_at", "updated_at"],
        rows,
    )  # fmt: skip
    rows.clear()


def _flush(cursor, response_rows, score_rows) -> None:
    _insert(
        cursor,
        "outcomes_response",
        [
            "id",
            "public_id",
            "organisation_id",
            "instrument_id",
            "respondent_kind",
            "citizen_id",
            "timepoint",
            "answers",
            "text_answers",
            "current_step",
            "language",
            "mode",
            "started_at",
            "completed_at",
            "answered_on",
            "total",
            "citizen_sees_chart",
            "shared_with_supervisor",
        ],
        response_rows,
    )
    _insert(
        cursor,
        "outcomes_score",
        [
            "organisation_id",
            "response_id",
            "scale",
            "value",
            "raw",
            "answered",
            "missing",
            "prorated",
        ],
        score_rows,
    )
    response_rows.clear()
    score_rows.clear()


def best_of(runs: int, work):
    best, result = math.inf, None
    for _run in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the data an earlier run left in BENCHMARK_DATABASE_URL (not SQLite's file)",
    )
    arguments = parser.parse_args()
    if arguments.answers < arguments.citizens:
        parser.error("--answers must be at least --citizens (every citizen answers once).")

    workdir = Path(tempfile.mkdtemp(prefix="brobyg-bench-report-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCHMARK_DATABASE_URL", f"sqlite:///{workdir / 'benchmark.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from brobyg.orgs.models import Organisation
    from brobyg.outcomes.loading import instruments_load_shipped
    from brobyg.outcomes.models import Instrument
    from brobyg.reports import activity
    from brobyg.reports.change import Filter
    from brobyg.reports.section_outcomes import instrument_change

    try:
        today = timezone.localdate()
        if not arguments.reuse:
            call_command("migrate", verbosity=0)
            with scopes_disabled():
                instruments_load_shipped()
            started = time.perf_counter()
            build(arguments.citizens, arguments.answers, arguments.seed, today)
            build_sessions(arguments.citizens, arguments.sessions, arguments.seed, today)
            with connection.cursor() as cursor:
                # VACUUM as autovacuum would soon after a bulk load: it also marks the pages
                # all-visible, so the score index answers without reading the table.
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            print(f"# built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        start, end = today - timedelta(days=365), today
        with scopes_disabled():
            organisations = tuple(Organisation.objects.values_list("pk", flat=True))
            instrument_id = Instrument.objects.get(code="brobyg-chime", is_current=True).pk
        flt = Filter(organisation_ids=organisations, programme_ids=(), start=start, end=end)

        def report():
            with scopes_disabled():
                return instrument_change(flt, "brobyg-chime")

        def hand():
            with connection.cursor() as cursor:
                cursor.execute(HAND_SQL, [instrument_id, end, instrument_id, start, end, start])
                return {row[0]: row[1:] for row in cursor.fetchall()}

        def activity_figures():
            with scopes_disabled():
                return activity.course_rows(flt) + activity.session_rows(flt)

        activity_seconds, rows = best_of(3, activity_figures)
        held = next(row.value for row in rows if row.key == "sessions")
        print(f"# activity: {activity_seconds:.3f} s, {held} sessions in the year", file=sys.stderr)
        seconds, results = best_of(3, report)
        sql_seconds, figures = best_of(3, hand)
        for scale, result in results.items():
            n_t1, n_t2, n_paired, mean_t1, mean_t2, mean_change, squares = figures[scale]
            assert (result.n_t1, result.n_t2, result.n_paired) == (n_t1, n_t2, n_paired), scale
            assert math.isclose(result.mean_t1, mean_t1, rel_tol=1e-9, abs_tol=1e-9), scale
            assert math.isclose(result.mean_t2, mean_t2, rel_tol=1e-9, abs_tol=1e-9), scale
            assert math.isclose(result.mean_change, mean_change, rel_tol=1e-9, abs_tol=1e-9)
            sd = math.sqrt(max(0.0, (squares - n_paired * mean_change**2) / (n_paired - 1)))
            assert math.isclose(result.sd_change, sd, rel_tol=1e-6, abs_tol=1e-9), scale
            print(
                f"# {scale}: n={n_t1}/{n_t2}/{n_paired} change={result.mean_change:.4f} "
                f"dz={result.dz:.3f} p_wilcoxon={result.wilcoxon_p:.3g}",
                file=sys.stderr,
            )
        print(
            f"RESULT report citizens={arguments.citizens} answers={arguments.answers} "
            f"sessions={arguments.sessions} seconds={seconds:.3f} sql_seconds={sql_seconds:.3f}"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
