"""How fast the pages people open daily are at national scale, for every role.

Run from the repository root, against an empty PostgreSQL database (never the app's own):

    BENCHMARK_DATABASE_URL=postgres://.../empty_db .venv/bin/python benchmarks/pages.py
    .venv/bin/python benchmarks/pages.py --scale 0.01          # SQLite in a temporary folder
    BENCHMARK_DATABASE_URL=... .venv/bin/python benchmarks/pages.py --reuse --only audit

It migrates the database and loads the national installation of ``benchmarks/national.py``
(``--scale 1.0``: 24 organisations, 100,000 citizens, 10,000 peers, ~2 M sessions, 5 M answers,
8 M audit entries, one big municipality with a fifth of it and one a hundred times smaller);
``--reuse`` keeps a database loaded by an earlier run. Then, for the big and the small
municipality and every role, it logs in as a member with that role (password and authenticator,
through the real log-in pages; the second-factor middleware is on, DEBUG off) and requests every
page of the main menu the role sees, plus the daily pages behind a click (a request's matching
page, a group, a search of the waiting list and of the audit log, the audit log's 20th page, the
report for a year). Each page is requested once to warm caches, then ``--runs`` times (``--slow``
times for report and matching pages, as many by default: fewer made their p95 the slowest of a
handful) with Django's test client. One line per page on stdout:

    RESULT page org=<big|small> role=<role> page=<name> status=<code> median_ms=<ms>
        p95_ms=<ms> queries=<n> kb=<size>    (on one line)

and on stderr, at the start and the end, the machine's load and the interpreter
(``benchmarks/machine.py``).

Goals (issue 23, PostgreSQL on the 2-core machine): median <= 50 ms, p95 <= 100 ms, <= 15
queries and <= 100 KB for every daily page, the same for big and small.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_PAGES = ("reports_report", "matching_overview", "matching_request")


def pages_for(role: str, organisation, today) -> list[tuple[str, str]]:
    """(name, URL) of the pages a member with ``role`` opens daily."""
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from brobyg.groups.models import GroupCourse
    from brobyg.intake.models import SupportRequest
    from brobyg.orgs.models import User
    from brobyg.orgs.navigation import MAIN_MENU
    from brobyg.orgs.permissions import permissions_for_roles
    from brobyg.people.models import Citizen

    permissions = permissions_for_roles([role])
    pages = [
        (item.url_name, reverse(item.url_name))
        for item in MAIN_MENU
        if item.permission is None or item.permission in permissions
    ]
    with scopes_disabled():
        if "manage_matching" in permissions:
            waiting = SupportRequest.objects.filter(
                organisation=organisation.pk, status="waiting"
            ).first()
            if waiting is not None:
                pages.append(
                    ("matching_request", reverse("matching_request", args=[waiting.public_id]))
                )
        if "view_all_groups" in permissions:
            group = GroupCourse.objects.filter(organisation=organisation.pk).first()
            pages.append(("groups_detail", reverse("groups_detail", args=[group.public_id])))
        if "view_peer_care" in permissions:
            pages.append(("peercare_attention", reverse("peercare_attention")))
        if "view_waiting_list" in permissions:
            pages.append(("waiting_list_search", reverse("intake_waiting_list") + "?q=Borger+12"))
        if "view_audit_log" in permissions:
            audit = reverse("audit_entry_list")
            citizen = Citizen.objects.get(pk=organisation.citizens[0])
            actor = User.objects.get(pk=organisation.users["coordinator"])
            pages += [
                ("audit_page_20", f"{audit}?older={_audit_cursor(organisation, 19 * 50)}"),
                ("audit_by_citizen", f"{audit}?citizen={citizen.name.replace(' ', '+')}"),
                ("audit_by_actor", f"{audit}?actor={actor.public_id}"),
            ]
        if "view_reports" in permissions:
            start, end = today - timedelta(days=365), today
            pages = [(name, url) for name, url in pages if name != "reports_report"]
            pages.append(("reports_report", f"{reverse('reports_report')}?start={start}&end={end}"))
    return pages


def _audit_cursor(organisation, skip: int) -> str:
    """The cursor the audit log's "Older" link carries after ``skip`` entries (page 20 is the
    page after 19 pages of 50), as ``brobyg.lib.pagination.keyset_page`` writes it."""
    from urllib.parse import quote

    from brobyg.audit.selectors import entries_for_organisation
    from brobyg.orgs.models import Organisation

    entries = entries_for_organisation(Organisation.objects.get(pk=organisation.pk))
    ordered = entries.order_by("-created_at", "-id")
    # A small installation (``--scale 0.01``) may hold fewer: its oldest entry stands in.
    entry = next(iter(ordered[skip - 1 : skip]), None) or ordered.last()
    return quote(f"{entry.created_at.isoformat()}~{entry.pk}")


def log_in(role: str, organisation, password: str):
    from django.test import Client

    from brobyg.orgs.models import User
    from brobyg.test import log_in_with_second_factor

    client = Client()
    user = User.objects.get(pk=organisation.users[role])
    log_in_with_second_factor(client, user.email, password)
    return client


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # now: the next request empties the log that ``queries`` reads
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "status": response.status_code,
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": count,
        "kb": len(response.content) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--slow", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="use the data of an earlier run")
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    arguments = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="brobyg-bench-pages-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCHMARK_DATABASE_URL", f"sqlite:///{workdir / 'benchmark.sqlite3'}"
    )
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))

    import django

    django.setup()
    import national
    from django.core.management import call_command
    from django.utils import timezone
    from django_scopes import scopes_disabled
    from machine import describe

    print(describe(), file=sys.stderr, flush=True)
    try:
        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        started = time.perf_counter()
        if arguments.reuse:
            installation = reloaded(national)
        else:
            log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
            installation = national.build(arguments.scale, arguments.seed, today, log=log)
            print(f"# built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for key in ("big", "small"):
            organisation = installation[key]
            for role in national.ROLES:
                client = log_in(role, organisation, national.PASSWORD)
                with scopes_disabled():
                    pages = pages_for(role, organisation, today)
                for name, url in pages:
                    if arguments.only not in name:
                        continue
                    runs = arguments.slow if name in SLOW_PAGES else arguments.runs
                    figures = measure(client, url, runs)
                    print(
                        f"RESULT page org={key} role={role} page={name} "
                        f"status={figures['status']} median_ms={figures['median_ms']:.1f} "
                        f"p95_ms={figures['p95_ms']:.1f} queries={figures['queries']} "
                        f"kb={figures['kb']:.0f}",
                        flush=True,
                    )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        print(describe(), file=sys.stderr, flush=True)


def reloaded(national) -> dict:
    """The big and the small organisation of a database loaded by an earlier run."""
    from django_scopes import scopes_disabled

    from brobyg.orgs.models import Membership, Organisation
    from brobyg.people.models import Citizen

    found = {}
    with scopes_disabled():
        for key, name in (("big", national.BIG), ("small", national.SMALL)):
            organisation = Organisation.objects.get(name=name)
            made = national.Organisation(organisation.pk, name, 0, 0)
            emails = {f"{role}@org{organisation.pk}.bench": role for role in national.ROLES}
            for membership in Membership.objects.filter(
                organisation=organisation, user__email__in=emails
            ).select_related("user"):
                made.users[emails[membership.user.email]] = membership.user_id
            made.citizens = list(
                Citizen.objects.filter(organisation=organisation)
                .order_by("pk")
                .values_list("pk", flat=True)[:10]
            )
            found[key] = made
    return found


if __name__ == "__main__":
    main()
