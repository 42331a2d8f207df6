"""Crash-safety tests' helper: run a multi-step write in a separate process, stop it with SIGKILL
in the middle, and read the database it wrote to afterwards.

On PostgreSQL the child uses the test database itself (the test must use `transactional_db`, so
its data is committed). SQLite's test database lives in this process's memory, so the child gets
a file copy of it, and the rows are counted in that file.
"""

import os
import selectors
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import connection

PRELUDE = """
import time
import django
django.setup()

def die_here():
    # The parent kills this process with SIGKILL as soon as it reads this line.
    print("READY", flush=True)
    time.sleep(600)
"""


class ChildDatabase:
    def __init__(self, tmp_path):
        if connection.vendor == "sqlite":
            self.path = tmp_path / "child.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(self.path)) as target:
                connection.connection.backup(target)
            self.url = f"sqlite:///{self.path}"
        else:
            live = connection.settings_dict
            credentials = quote(live["USER"] or "") + (
                ":" + quote(live["PASSWORD"]) if live.get("PASSWORD") else ""
            )
            self.path = None
            self.url = (
                f"postgres://{credentials}@{live['HOST'] or 'localhost'}:{live['PORT'] or 5432}"
                f"/{live['NAME']}"
            )

    def scalar(self, sql: str):
        if self.path is not None:
            with closing(sqlite3.connect(self.path)) as database:
                return database.execute(sql).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def counts(self) -> dict[str, int]:
        """The number of rows in every table of the project."""
        tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        return {table: self.scalar(f'SELECT COUNT(*) FROM "{table}"') for table in sorted(tables)}

    def _child(self, code: str, environment: dict | None) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", PRELUDE + textwrap.dedent(code)],
            cwd=settings.BASE_DIR,
            env=os.environ
            | {
                "DATABASE_URL": self.url,
                "DJANGO_SETTINGS_MODULE": "brobyg.settings",
                "BROBYG_ENV": "development",
            }
            | (environment or {}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, code: str, environment: dict | None = None, timeout: float = 120) -> str:
        """Run `code` (after Django's setup) in a child process to its end; returns its output."""
        child = self._child(code, environment)
        output, errors = child.communicate(timeout=timeout)
        assert child.returncode == 0, errors
        return output

    def kill_at_die_here(self, code: str, environment: dict | None = None, timeout: float = 120):
        """Run `code` (after Django's setup) in a child process against this database, and
        SIGKILL it when it calls `die_here()`. Fails if it ends or errs before that."""
        child = self._child(code, environment)
        with selectors.DefaultSelector() as selector:
            selector.register(child.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout) and child.stdout.readline().strip() == "READY"
        if not ready:
            child.kill()
            _, errors = child.communicate()
            raise AssertionError(f"the child did not reach die_here():\n{errors}")
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
        assert child.returncode == -signal.SIGKILL
