"""The database itself lets audit entries go only through the retention job (migration 0003).
Every test here runs raw SQL, on SQLite and, with DATABASE_URL, on PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from brobyg.audit.models import LogEntry
from brobyg.audit.services import purge_expired_access_entries


def _raw_delete(entry) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_logentry WHERE id = %s", [entry.pk])


def _entry(action, days_old, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    return LogEntry.objects.create(
        action=action, created_at=timezone.now() - timedelta(days=days_old)
    )


@pytest.mark.parametrize("action", ["update", "delete", "export", "read", "login"])
@pytest.mark.parametrize("days_old", [1, 400])
def test_a_raw_delete_is_refused_for_any_entry_of_any_age(db, settings, action, days_old):
    entry = _entry(action, days_old, settings)
    with pytest.raises(DatabaseError):
        _raw_delete(entry)
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_a_raw_delete_of_everything_is_refused(db, settings):
    _entry("read", 400, settings)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_logentry")
    assert LogEntry.objects.count() == 1


def test_the_retention_job_deletes_only_expired_access_entries_and_leaves_no_permit(db, settings):
    expired = _entry("read", 31, settings)
    recent = _entry("read", 29, settings)
    change = _entry("update", 400, settings)
    assert purge_expired_access_entries() == 1
    remaining = set(LogEntry.objects.values_list("pk", flat=True))
    assert expired.pk not in remaining and {recent.pk, change.pk} <= remaining
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_retention_permit")
        assert cursor.fetchone()[0] == 0
    with pytest.raises(DatabaseError):  # the permit is gone with the job's transaction
        _raw_delete(recent)


def test_a_raw_update_is_still_refused(db, settings):
    entry = _entry("read", 1, settings)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_logentry SET reason = 'x' WHERE id = %s", [entry.pk])


@pytest.mark.django_db(transaction=True)
def test_emptying_the_test_database_between_transactional_tests_still_works(settings):
    """Django's flush empties every table after this test; on SQLite it takes a permit."""
    _entry("update", 1, settings)
    assert LogEntry.objects.count() == 1
