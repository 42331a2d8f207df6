"""Restore a backup into a scratch database and compare it with the live one (README: Backup).

Plain SQL throughout: no model manager, so no organisation scope is needed and nothing is
written to the live database.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import load_backend

from brobyg.audit.models import LogEntry
from brobyg.lib import crypto

ALIAS = "backup_verify"
# libpq's environment variables for pg_restore, from the live database's settings.
PG_ENVIRONMENT = (
    ("PGHOST", "HOST"),
    ("PGPORT", "PORT"),
    ("PGUSER", "USER"),
    ("PGPASSWORD", "PASSWORD"),
)
ENCRYPTED_SUFFIX = "_encrypted"


def _tables() -> list[str]:
    return sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        | {"django_migrations"}
    )


def _encrypted_columns() -> list[tuple[str, str]]:
    return [
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        # Text holding a token; a flag such as "want_assertions_encrypted" is not one.
        if field.name.endswith(ENCRYPTED_SUFFIX)
        and field.get_internal_type() in ("TextField", "CharField")
    ]


def _rows(database, sql: str, params=()) -> list[tuple]:
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _quote(name: str) -> str:
    return connections["default"].ops.quote_name(name)


class Command(BaseCommand):
    help = (
        "Restore a backup into a scratch database and compare it with the live database: the "
        "applied migrations, every table's row count and the audit log's last entries must be "
        "the same, and every encrypted value (CPR numbers, questionnaire links) must decrypt "
        "with BROBYG_FIELD_ENCRYPTION_KEYS. PostgreSQL: a pg_dump --format=custom file, "
        "restored with pg_restore into a scratch database that is dropped afterwards. SQLite: "
        "a copy made with SQLite's online backup. Exits non-zero when anything differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The dump (PostgreSQL) or database file.")
        parser.add_argument(
            "--audit-entries",
            type=int,
            default=100,
            help="How many of the backup's last audit-log entries must match the live ones.",
        )
        parser.add_argument(
            "--allow-changes",
            action="store_true",
            help=(
                "The live database has moved on since the backup: report differing row counts "
                "instead of failing (everything else is still checked)."
            ),
        )
        parser.add_argument(
            "--scratch-database",
            default="",
            help="PostgreSQL: the name of the scratch database to create and drop "
            "(default: the live name with _verify_ and the process id).",
        )

    def handle(self, *args, backup: Path, audit_entries, allow_changes, scratch_database, **opts):
        if not backup.is_file():
            raise CommandError(f"No backup file {backup}.")
        live = connections["default"].settings_dict
        vendor = connections["default"].vendor
        if vendor == "postgresql":
            scratch = scratch_database or f"{live['NAME']}_verify_{os.getpid()}"[:63]
            restore, discard = self._restore_postgresql(backup, live, scratch)
        elif vendor == "sqlite":
            restore, discard = self._restore_sqlite(backup, live)
        else:
            raise CommandError(f"verify_backup does not know the {vendor} database.")
        self.restored = None
        try:
            restore()
            problems = self._compare(audit_entries, allow_changes)
        finally:
            if self.restored is not None:
                self.restored.close()
            discard()
        if problems:
            raise CommandError(
                f"The backup {backup} does NOT match:\n" + "\n".join(f"  {p}" for p in problems)
            )
        self.stdout.write(self.style.SUCCESS(f"The backup {backup} restores and matches."))

    def _use(self, settings_dict: dict) -> None:
        """A connection of its own to the restored database, not one of Django's aliases."""
        backend = load_backend(settings_dict["ENGINE"])
        self.restored = backend.DatabaseWrapper(settings_dict, ALIAS)
        self.restored.connect()

    # --- PostgreSQL: pg_restore into a scratch database ---

    def _restore_postgresql(self, backup: Path, live: dict, scratch: str):
        pg_restore = shutil.which("pg_restore")
        if pg_restore is None:
            raise CommandError("pg_restore is not on PATH (PostgreSQL's client programs).")
        environment = dict(os.environ)
        for variable, key in PG_ENVIRONMENT:
            if live.get(key):
                environment[variable] = str(live[key])
        quoted = _quote(scratch)

        def restore():
            with connections["default"].cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {quoted}")
            self.stdout.write(f"Restoring {backup} into the scratch database {scratch} ...")
            options = ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", scratch]
            done = subprocess.run(  # noqa: S603 - our own arguments, no shell
                [pg_restore, *options, str(backup)],
                env=environment,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise CommandError(f"pg_restore failed:\n{done.stderr.strip()}")
            self._use(live | {"NAME": scratch, "CONN_MAX_AGE": 0})

        def discard():
            with connections["default"].cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")

        return restore, discard

    # --- SQLite: a copy of the backup file ---

    def _restore_sqlite(self, backup: Path, live: dict):
        directory = tempfile.mkdtemp(prefix="brobyg-verify-")
        copy = Path(directory) / "restored.sqlite3"

        def restore():
            try:
                source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
                with source, sqlite3.connect(copy) as target:
                    source.backup(target)
                    (result,) = target.execute("PRAGMA integrity_check").fetchone()
                source.close()
            except sqlite3.DatabaseError as error:
                raise CommandError(f"{backup} is not a readable SQLite database: {error}") from None
            if result != "ok":
                raise CommandError(f"{backup} fails SQLite's integrity check: {result}")
            self._use(live | {"NAME": str(copy), "TEST": {}, "CONN_MAX_AGE": 0})

        return restore, lambda: shutil.rmtree(directory, ignore_errors=True)

    # --- the comparison ---

    def _compare(self, audit_entries: int, allow_changes: bool) -> list[str]:
        problems = []
        restored_tables = set(self.restored.introspection.table_names())
        missing = [table for table in _tables() if table not in restored_tables]
        if missing:
            return [f"tables missing from the backup: {', '.join(missing)}"]

        migrations = "SELECT app, name FROM django_migrations"
        live_migrations = set(_rows(connections["default"], migrations))
        restored_migrations = set(_rows(self.restored, migrations))
        if live_migrations != restored_migrations:
            problems.append(
                f"migrations differ: {len(restored_migrations - live_migrations)} only in the "
                f"backup, {len(live_migrations - restored_migrations)} only in the live database"
            )

        total, differing = 0, []
        for table in _tables():
            sql = f"SELECT COUNT(*) FROM {_quote(table)}"  # noqa: S608 - model tables
            live_count, restored_count = (
                _rows(connections["default"], sql)[0][0],
                _rows(self.restored, sql)[0][0],
            )
            total += restored_count
            if live_count != restored_count:
                differing.append(f"{table}: {restored_count} in the backup, {live_count} live")
        self.stdout.write(f"{len(_tables())} tables, {total} rows in the backup.")
        if differing:
            if allow_changes:
                self.stdout.write("Row counts that differ (allowed):\n  " + "\n  ".join(differing))
            else:
                problems.extend(f"row count of {line}" for line in differing)

        problems.extend(self._compare_audit_log(audit_entries))
        problems.extend(self._decrypt_all())
        return problems

    def _compare_audit_log(self, count: int) -> list[str]:
        table = LogEntry._meta.db_table
        columns = ", ".join(_quote(f.column) for f in LogEntry._meta.concrete_fields)
        last = f"SELECT {columns} FROM {_quote(table)} ORDER BY id DESC"  # noqa: S608
        restored = _rows(self.restored, f"{last} LIMIT %s", [count])
        if not restored:
            return []
        ids = [row[0] for row in restored]
        in_clause = ", ".join(["%s"] * len(ids))
        sql = f"SELECT {columns} FROM {_quote(table)} WHERE id IN ({in_clause})"  # noqa: S608
        live = {row[0]: row for row in _rows(connections["default"], sql, ids)}
        differing = [row[0] for row in restored if live.get(row[0]) != row]
        self.stdout.write(f"The backup's last audit-log entry: #{ids[0]} of {restored[0][1]}.")
        if differing:
            return [
                f"{len(differing)} of the backup's last {len(restored)} audit-log entries differ "
                f"from the live ones (ids {', '.join(map(str, differing[:10]))})"
            ]
        return []

    def _decrypt_all(self) -> list[str]:
        problems = []
        for table, column in _encrypted_columns():
            quoted_column, quoted_table = _quote(column), _quote(table)
            sql = f"SELECT {quoted_column} FROM {quoted_table} WHERE {quoted_column} <> ''"  # noqa: S608
            values = [value for (value,) in _rows(self.restored, sql)]
            failures = 0
            for value in values:
                try:
                    crypto.decrypt(value)
                except ImproperlyConfigured:
                    failures += 1
            if failures:
                problems.append(
                    f"{failures} of {len(values)} values in {table}.{column} cannot be decrypted "
                    "with BROBYG_FIELD_ENCRYPTION_KEYS: restoring needs the keys in use when the "
                    "backup was made"
                )
            else:
                self.stdout.write(f"{table}.{column}: {len(values)} values decrypt.")
        return problems
