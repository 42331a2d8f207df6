"""Throughput of the JSON API: referral-create and the status list beside a bare endpoint.

Run from the repository root:

    .venv/bin/python benchmarks/api.py [--requests 300] [--waiting 2000]

It migrates a fresh SQLite database in a temporary folder (or the database in
BENCHMARK_DATABASE_URL, e.g. PostgreSQL), makes an organisation with ``--waiting`` requests and
a client acting as coordinator and referrer, gets a token, and calls through the whole Django
stack in process (middleware, token check, rate limit, audit log; no network), one call at a
time: a bare endpoint (a view returning ``{}`` through the same middleware), ``GET
/api/v1/requests?limit=50`` and ``POST /api/v1/referrals``. For each it prints:

    RESULT api operation=<bare|status_list|referral_create> database=<vendor> requests=<n>
        rps=<r> p50_ms=<ms> p95_ms=<ms>   (one line)
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
urlpatterns = []


def referral(programme_id: str, number: int) -> dict:
    return {
        "programme": programme_id,
        "referral_reason": "Borgeren ønsker følgeskab i overgangen.",
        "consent_method": "in_person",
        "consent_support": True,
        "in_crisis": False,
        "name": f"Borger {number}",
        "birth_year": 1980 + number % 20,
        "municipality": "København",
        "phone": f"{30000000 + number}",
    }


def measure(call, count: int) -> list[float]:
    timings = []
    for number in range(count):
        started = time.perf_counter()
        response = call(number)
        timings.append(time.perf_counter() - started)
        assert response.status_code in (200, 201), response.content[:300]
    return timings


def report(name: str, vendor: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"RESULT api operation={name} database={vendor} requests={len(timings)} "
        f"rps={len(timings) / sum(timings):.0f} p50_ms={statistics.median(timings) * 1000:.1f} "
        f"p95_ms={p95 * 1000:.1f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--waiting", type=int, default=2000)
    arguments = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="brobyg-bench-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCHMARK_DATABASE_URL", f"sqlite:///{workdir / 'benchmark.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["BROBYG_API_RATE_LIMIT_COUNT"] = "1000000"
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.http import JsonResponse
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import include, path
        from django.utils import timezone
        from django_scopes import scopes_disabled
        from machine import describe

        from brobyg.api.tests.helpers import bearer, make_api_client
        from brobyg.intake.services import request_submit
        from brobyg.orgs.models import Membership, Organisation, Programme, User

        urlpatterns.extend(
            [path("bench/bare", lambda request: JsonResponse({})), path("", include("brobyg.urls"))]
        )
        call_command("migrate", verbosity=0)
        with scopes_disabled():
            organisation = Organisation.objects.create(
                name="Benchmark Kommune", kind="municipality"
            )
            programme = Programme.objects.create(
                organisation=organisation,
                name="Peer-støtte",
                minimum_age=18,
                forms=["individual"],
                support_type="paid",
                model="separate",
                peer_role="special",
                legal_basis="public_task",
            )
            admin = User.objects.create_user("admin@example.dk", full_name="Admin")
            Membership.objects.create(organisation=organisation, user=admin, roles=["admin"])
            for number in range(arguments.waiting):
                request_submit(
                    programme=programme,
                    citizen_data={"name": f"Borger {number}", "phone": f"{20000000 + number}"},
                    request_data={"forms": ["individual"]},
                    consents=["support"],
                    in_crisis=False,
                )
        _api_client, client_id, secret = make_api_client(
            organisation, ["coordinator", "referrer"], actor=admin
        )
        vendor = connection.vendor
        client = Client()
        with override_settings(ROOT_URLCONF=sys.modules[__name__], ALLOWED_HOSTS=["*"]):
            headers = bearer(client, client_id, secret)
            programme_id = str(programme.public_id)
            print(
                f"# {arguments.waiting} requests waiting, {timezone.now():%Y-%m-%d}",
                file=sys.stderr,
            )
            print(describe(), file=sys.stderr, flush=True)
            for name, call in (
                ("bare", lambda number: client.get("/bench/bare", **headers)),
                (
                    "status_list",
                    lambda number: client.get("/api/v1/requests?limit=50", **headers),
                ),
                (
                    "referral_create",
                    lambda number: client.post(
                        "/api/v1/referrals",
                        referral(programme_id, number),
                        content_type="application/json",
                        **headers,
                    ),
                ),
            ):
                measure(call, min(20, arguments.requests))  # warm up
                report(name, vendor, measure(call, arguments.requests))
            print(describe(), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
