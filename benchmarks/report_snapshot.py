"""The report PDF from stored figures (a ``ReportSnapshot``) against building the report anew.

Run from the repository root:

    .venv/bin/python benchmarks/report_snapshot.py [--citizens 20000] [--answers 200000]
        [--sessions 400000] [--seed 2025]

It loads the same invented data as ``benchmarks/report.py`` (its loader; SQLite in a temporary
folder, or the empty database in BENCHMARK_DATABASE_URL) and then, for one organisation (a
twentieth of the data) and the last year, times with warm caches (best of three):

- ``build_seconds``: ``build_report`` (suppressed, as in every file), what the report page did
  in the request before its figures were stored;
- ``pdf_seconds``: building and then rendering the PDF (``exports.render_pdf``), what a PDF
  file took before;
- ``snapshot_pdf_seconds``: the PDF from stored figures, as a file made while the page's
  figures are fresh: the JSON read back (``snapshots.load``, charts drawn again) and rendered;
- ``render_seconds``: rendering the PDF of the report built in this process (no build);
- ``load_seconds``: reading the stored figures back alone (what the page adds to its render).

The three PDF timings are interleaved, round by round, so a busy machine weighs on each alike.

It prints the stored figures' size and

    RESULT report_snapshot citizens=<n> answers=<n> sessions=<n> build_seconds=<s>
        pdf_seconds=<s> snapshot_pdf_seconds=<s> render_seconds=<s> load_seconds=<s>
        figures_kb=<n>
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=20_000)
    parser.add_argument("--answers", type=int, default=200_000)
    parser.add_argument("--sessions", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=2025)
    arguments = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="brobyg-bench-snapshot-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCHMARK_DATABASE_URL", f"sqlite:///{workdir / 'benchmark.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))

    import django

    django.setup()
    import report as loader
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone, translation
    from django_scopes import scope, scopes_disabled

    from brobyg.orgs.models import Organisation
    from brobyg.outcomes.loading import instruments_load_shipped
    from brobyg.reports import exports, snapshots
    from brobyg.reports.report import build_report

    try:
        today = timezone.localdate()
        call_command("migrate", verbosity=0)
        with scopes_disabled():
            instruments_load_shipped()
        loader.build(arguments.citizens, arguments.answers, arguments.seed, today)
        loader.build_sessions(arguments.citizens, arguments.sessions, arguments.seed, today)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        with scopes_disabled():
            organisation = Organisation.objects.filter(name="Benchmark 0").get()

        def build():
            return build_report(
                organisations=[organisation],
                start=today - timedelta(days=365),
                end=today,
                suppress=True,
            )

        with scope(organisation=organisation.pk), translation.override("da"):
            build_seconds, built = loader.best_of(3, build)
            stored = json.dumps(snapshots.dump(built))
            load_seconds, _report = loader.best_of(3, lambda: snapshots.load(json.loads(stored)))
            # Interleaved, so that a busy machine weighs on both alike.
            pdf_seconds = snapshot_pdf_seconds = render_seconds = float("inf")
            for _round in range(3):
                seconds, _pdf = loader.best_of(1, lambda: exports.render_pdf(build()))
                pdf_seconds = min(pdf_seconds, seconds)
                seconds, _pdf = loader.best_of(1, lambda: exports.render_pdf(built))
                render_seconds = min(render_seconds, seconds)
                seconds, pdf = loader.best_of(
                    1, lambda: exports.render_pdf(snapshots.load(json.loads(stored)))
                )
                snapshot_pdf_seconds = min(snapshot_pdf_seconds, seconds)
        print(f"# {len(built.sections)} sections, PDF {len(pdf) // 1024} KB", file=sys.stderr)
        print(
            f"RESULT report_snapshot citizens={arguments.citizens} answers={arguments.answers} "
            f"sessions={arguments.sessions} build_seconds={build_seconds:.3f} "
            f"pdf_seconds={pdf_seconds:.3f} snapshot_pdf_seconds={snapshot_pdf_seconds:.3f} "
            f"render_seconds={render_seconds:.3f} load_seconds={load_seconds:.3f} "
            f"figures_kb={len(stored) // 1024}"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
