"""The report reads from a read replica when one is configured (``DATABASE_REPLICA_URL``);
everything else, and every write, stays on the primary."""

import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.lib.replica import REPLICA, ReplicaRouter, reading_from_replica, replica_reads
from brobyg.reports.models import ReportRun

ROOT = Path(__file__).resolve().parents[3]


def test_it_adds_the_replica_from_the_environment():
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'brobyg.settings');"
        "django.setup(); from django.conf import settings;"
        "r = settings.DATABASES['replica'];"
        "print(r['ENGINE'], r['NAME'], r['HOST'], r['TEST']['MIRROR'], settings.DATABASE_ROUTERS);"
        "print('|'.join(d['OPTIONS']['options'] for d in settings.DATABASES.values()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": "postgres://brobyg@primary.internal/brobyg?options=-c%20lock_timeout%3D5s",
            "DATABASE_REPLICA_URL": "postgres://brobyg@replica.internal/brobyg",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == [
        "django.db.backends.postgresql",
        "brobyg",
        "replica.internal",
        "default",
    ]
    assert "brobyg.lib.replica.ReplicaRouter" in result.stdout
    # No just-in-time compilation on any connection (see settings), beside the URL's options.
    assert result.stdout.splitlines()[1] == "-c lock_timeout=5s -c jit=off|-c jit=off"


def test_it_sends_only_the_reports_reads_to_the_replica(settings, monkeypatch):
    monkeypatch.setitem(settings.DATABASES, REPLICA, {**settings.DATABASES["default"]})
    router = ReplicaRouter()
    assert router.db_for_read(LogEntry) is None
    with replica_reads():
        assert reading_from_replica()
        assert router.db_for_read(ReportRun) == REPLICA
        assert router.db_for_write(ReportRun) == "default"
    assert router.db_for_read(ReportRun) is None
    assert router.allow_migrate(REPLICA, "reports") is False
    assert router.allow_migrate("default", "reports") is True


def test_without_a_replica_every_read_stays_on_the_primary(settings):
    assert REPLICA not in settings.DATABASES
    with replica_reads():
        assert not reading_from_replica()
        assert ReplicaRouter().db_for_read(ReportRun) is None


def test_the_report_page_builds_the_report_from_the_replica(
    client, personas, settings, monkeypatch
):
    monkeypatch.setitem(settings.DATABASES, REPLICA, {**settings.DATABASES["default"]})
    seen = []

    def build_report(**kwargs):
        seen.append(reading_from_replica())

    # The page's figures are computed by the refresh task (inline in tests).
    monkeypatch.setattr("brobyg.reports.services_snapshots.build_report", build_report)
    client.force_login(personas.maja)
    assert client.get(reverse("reports_report")).status_code == 200
    assert seen == [True]
    assert not reading_from_replica()
