"""How long importing a waiting list of 5,000 citizens from a spreadsheet takes.

Run from the repository root:

    .venv/bin/python benchmarks/import_waiting_list.py [--rows 5000] [--format csv|xlsx]

It migrates a fresh SQLite database in a temporary folder (or the database in
BENCHMARK_DATABASE_URL), writes a Windows-1252 CSV (as Excel in Denmark saves it) or an XLSX file
of invented citizens (dates in the three accepted formats), then times the three steps the pages
run: reading and storing the upload (``services.upload_store``), checking every row for the
preview (``rows.check``) and importing all of it (``services.upload_import``), and prints:

    RESULT import_waiting_list rows=<n> format=<f> read_s=<s> check_s=<s> import_s=<s> total_s=<s>
"""

import argparse
import csv
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ["Mette", "Jonas", "Aisha", "Søren", "Ida", "Mads", "Fatima", "Lærke", "Emil", "Åse"]
LAST = ["Holm", "Berg", "Khan", "Jørgensen", "Nielsen", "Østergaard", "Hansen", "Ali"]
TOWNS = ["København", "Frederiksberg", "Gentofte", "Rudersdal", "Helsingør", "Aarhus"]
HEADINGS = ["Navn", "Telefon", "E-mail", "Fødselsår", "Kommune", "Indsats",
            "På ventelisten siden", "Status", "Med borgerens egne ord"]  # fmt: skip


def rows(count: int, programme: str):
    rng = random.Random(15)
    for number in range(count):
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        since = (f"{day:02d}-{month:02d}-2025", f"{day:02d}.{month:02d}.2025",
                 f"2025-{month:02d}-{day:02d}")[number % 3]  # fmt: skip
        yield [
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            f"{20000000 + number}",
            f"borger{number}@example.dk" if number % 2 else "",
            str(rng.randint(1945, 2005)),
            rng.choice(TOWNS),
            programme,
            since,
            rng.choice(["på ventelisten", "visiteret", "ny"]),
            "Jeg vil gerne have en at tale med, som ved hvordan det er.",
        ]


def as_file(count: int, programme: str, kind: str) -> bytes:
    if kind == "xlsx":
        from brobyg.imports.files import as_xlsx

        return as_xlsx(HEADINGS, list(rows(count, programme)), title="Venteliste")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(rows(count, programme))
    return out.getvalue().encode("cp1252")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    arguments = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="brobyg-bench-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCHMARK_DATABASE_URL", f"sqlite:///{workdir / 'benchmark.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django_scopes import scope, scopes_disabled

        from brobyg.imports import services
        from brobyg.imports.rows import check
        from brobyg.intake.models import SupportRequest
        from brobyg.orgs.models import Membership, Organisation, Programme, User

        call_command("migrate", verbosity=0)
        with scopes_disabled():
            organisation = Organisation.objects.create(
                name="Benchmark Kommune", kind="municipality"
            )
            programme = Programme.objects.create(
                organisation=organisation, name="Peer-støtte", minimum_age=18, purposes=[]
            )
            user = User.objects.create_user("koordinator@example.dk", full_name="Koordinator")
            Membership.objects.create(organisation=organisation, user=user, roles=["coordinator"])
        data = as_file(arguments.rows, programme.name, arguments.format)
        print(f"# file: {len(data) / 1e6:.1f} MB, {arguments.rows} rows", file=sys.stderr)
        with scope(organisation=organisation):
            started = time.perf_counter()
            upload = services.upload_store(
                actor=user,
                organisation=organisation,
                kind="requests",
                data=data,
                file_name=f"venteliste.{arguments.format}",
            )
            read = time.perf_counter()
            checked = check(upload.kind, organisation, upload.rows)
            assert not checked.error_rows, checked.error_rows[:3]
            checked_at = time.perf_counter()
            result = services.upload_import(actor=user, upload=upload, skip_duplicates=False)
            done = time.perf_counter()
            assert result["created"] == arguments.rows
            assert (
                SupportRequest.objects.filter(organisation=organisation).count() == arguments.rows
            )
        print(
            f"RESULT import_waiting_list rows={arguments.rows} format={arguments.format} "
            f"read_s={read - started:.2f} check_s={checked_at - read:.2f} "
            f"import_s={done - checked_at:.2f} total_s={done - started:.2f}"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
