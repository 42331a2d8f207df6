"""manage.py verify_backup on the database the suite runs on: SQLite's online backup, or pg_dump
(these tests are skipped on PostgreSQL when pg_dump is not installed)."""

import glob
import io
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from brobyg.audit.management.commands.verify_backup import PG_ENVIRONMENT
from brobyg.audit.models import LogEntry
from brobyg.lib.tests.test_production_readme import _readme_blocks
from brobyg.people import services as people_services
from brobyg.test import in_org

ROOT = Path(settings.BASE_DIR)
README_SQLITE_BACKUP = _readme_blocks().shell(
    (ROOT / "README.md").read_text(encoding="utf-8"), "sqlite-backup"
)


def _pg_bin(program: str) -> str | None:
    found = shutil.which(program)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), key=_version)
    return candidates[-1] if candidates else None


def _version(path: str) -> int:
    return int(path.split("/")[4]) if path.split("/")[4].isdigit() else 0


def _copy_of_live(path) -> None:
    """A backup made as README says: SQLite's online backup, or pg_dump's custom format."""
    if connection.vendor == "sqlite":
        # The suite's database is in memory: put it in a file as db.sqlite3, then run README's
        # online-backup command on that file.
        workdir = path.parent / f"{path.name}.work"
        workdir.mkdir()
        connection.ensure_connection()
        with sqlite3.connect(workdir / "db.sqlite3") as target:
            connection.connection.backup(target)
        target.close()
        backup_command, verify_command = README_SQLITE_BACKUP.strip().splitlines()
        assert verify_command.endswith("manage.py verify_backup backup.sqlite3")
        subprocess.run(["bash", "-euc", backup_command], cwd=workdir, check=True)
        (workdir / "backup.sqlite3").rename(path)
        return
    live = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in PG_ENVIRONMENT:
        if live.get(key):
            environment[variable] = str(live[key])
    subprocess.run(
        [_pg_bin("pg_dump"), "--format=custom", f"--file={path}", live["NAME"]],
        env=environment,
        check=True,
    )


@pytest.fixture
def backup(transactional_db, personas, tmp_path, monkeypatch):
    """Live data with an encrypted CPR number, and a backup of it."""
    if connection.vendor != "sqlite":
        pg_dump = _pg_bin("pg_dump")
        if pg_dump is None:
            pytest.skip("pg_dump is not installed")
        monkeypatch.setenv("PATH", os.path.dirname(pg_dump) + os.pathsep + os.environ["PATH"])
    with in_org(personas.org_a):
        people_services.citizen_create(
            actor=personas.alice,
            organisation=personas.org_a,
            data={"name": "Mette Holm", "phone": "+45 20 30 40 50"},
            cpr="010190-1234",
        )
    path = tmp_path / "brobyg.backup"
    _copy_of_live(path)
    return path


def _verify(path, **options) -> str:
    out = io.StringIO()
    call_command("verify_backup", str(path), stdout=out, **options)
    return out.getvalue()


def test_a_fresh_backup_restores_and_matches(backup):
    output = _verify(backup)
    assert "people_citizen.cpr_encrypted: 1 values decrypt." in output
    assert "restores and matches" in output


def test_a_backup_with_the_wrong_encryption_key_fails_loudly(backup, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match=r"1 of 1 values in people_citizen.cpr_encrypted"):
        _verify(backup)


def test_a_backup_still_decrypts_after_a_new_key_is_added_in_front(backup, settings):
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    assert "restores and matches" in _verify(backup)


def test_a_live_database_that_moved_on_fails_unless_changes_are_allowed(backup):
    LogEntry.objects.create(action="login")
    with pytest.raises(CommandError, match=r"row count of audit_logentry: .* in the backup"):
        _verify(backup)
    assert "restores and matches" in _verify(backup, allow_changes=True)


def test_a_backup_whose_last_audit_entries_are_not_the_live_ones_fails(backup, tmp_path):
    """An entry in the backup that the live log does not hold the same: here a read from long
    ago, made just before the backup and removed by retention just after it."""
    from datetime import timedelta

    from django.utils import timezone

    from brobyg.audit.services import purge_expired_access_entries

    old_read = LogEntry.objects.create(
        action="read", created_at=timezone.now() - timedelta(days=900)
    )
    second = tmp_path / "second.backup"
    _copy_of_live(second)
    assert purge_expired_access_entries() >= 1
    with pytest.raises(CommandError, match=rf"audit-log entries differ .*ids {old_read.pk}\b"):
        _verify(second, allow_changes=True)


def test_a_damaged_backup_fails(transactional_db, tmp_path):
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(b"not a backup at all" * 100)
    if connection.vendor != "sqlite" and _pg_bin("pg_restore") is None:
        pytest.skip("pg_restore is not installed")
    with pytest.raises(CommandError):
        _verify(damaged)


def test_a_missing_backup_fails(transactional_db, tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        _verify(tmp_path / "missing.backup")
