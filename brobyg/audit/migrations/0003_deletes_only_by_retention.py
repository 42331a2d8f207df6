"""Deletes from the audit log only through the retention job, on SQLite and PostgreSQL alike.

A row trigger refuses every DELETE unless the deleting transaction holds a permit in
``audit_retention_permit`` (a table of the database only, not a Django model) and the entry is an
access entry older than the permit's cutoff. ``audit.services.purge_expired_access_entries``
writes the permit, deletes and removes the permit in one transaction, so no other connection ever
sees it. Updates stay refused (0002). Django's ``flush`` (test teardown) is the one other way:
PostgreSQL's TRUNCATE fires no row triggers, and on SQLite the ``flush`` command of the audit app
takes a permit for everything while it empties the database.
"""

from django.db import migrations

# The access actions (audit.models.ACCESS_ACTIONS) are written out in the statements below.
ACCESS_ACTIONS = "('read', 'search', 'login', 'logout', 'login_failed', 'lockout', 'denied')"

SQLITE = [
    """CREATE TABLE audit_retention_permit (
         cutoff TEXT NOT NULL, everything INTEGER NOT NULL DEFAULT 0);""",
    """CREATE TRIGGER audit_logentry_no_delete BEFORE DELETE ON audit_logentry
       WHEN NOT EXISTS (
         SELECT 1 FROM audit_retention_permit AS permit
         WHERE permit.everything = 1
            OR (OLD.action IN ('read', 'search', 'login', 'logout', 'login_failed', 'lockout', 'denied')
                   AND OLD.created_at < permit.cutoff))
       BEGIN SELECT RAISE(ABORT, 'audit entries are deleted only by the retention job'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_logentry_no_delete;",
    "DROP TABLE IF EXISTS audit_retention_permit;",
]

POSTGRESQL = [
    """CREATE TABLE audit_retention_permit (
         cutoff TIMESTAMP WITH TIME ZONE NOT NULL, everything BOOLEAN NOT NULL DEFAULT FALSE);""",
    """CREATE OR REPLACE FUNCTION audit_logentry_guard() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit entries cannot be changed';
          END IF;
          IF EXISTS (
            SELECT 1 FROM audit_retention_permit AS permit
            WHERE permit.everything
               OR (OLD.action IN ('read', 'search', 'login', 'logout', 'login_failed', 'lockout', 'denied')
                   AND OLD.created_at < permit.cutoff)
          ) THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'audit entries are deleted only by the retention job';
        END $$ LANGUAGE plpgsql;""",
]
POSTGRESQL_REVERSE = [
    f"""CREATE OR REPLACE FUNCTION audit_logentry_guard() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit entries cannot be changed';
          END IF;
          IF OLD.action NOT IN {ACCESS_ACTIONS} THEN
            RAISE EXCEPTION 'audit entries cannot be deleted';
          END IF;
          RETURN OLD;
        END $$ LANGUAGE plpgsql;""",
    "DROP TABLE IF EXISTS audit_retention_permit;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
