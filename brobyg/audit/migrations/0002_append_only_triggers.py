"""Make the audit log append-only in the database itself, not only in the ORM.

Updates are refused on SQLite and PostgreSQL. Deletes are refused on PostgreSQL except for access
entries, which the retention task removes (TRUNCATE, used only by test teardown, fires no row
triggers). On SQLite, the embedded development database, Django's own test teardown deletes rows,
so there only the ORM guards stop deletes.
"""

from django.db import migrations

ACCESS_ACTIONS = "('read', 'search', 'login', 'logout', 'login_failed', 'lockout', 'denied')"

SQLITE = [
    """CREATE TRIGGER audit_logentry_no_update BEFORE UPDATE ON audit_logentry
       BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_logentry_no_update;"]

POSTGRESQL = [
    f"""CREATE FUNCTION audit_logentry_guard() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit entries cannot be changed';
          END IF;
          IF OLD.action NOT IN {ACCESS_ACTIONS} THEN
            RAISE EXCEPTION 'audit entries cannot be deleted';
          END IF;
          RETURN OLD;
        END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_logentry_guard BEFORE UPDATE OR DELETE ON audit_logentry
       FOR EACH ROW EXECUTE FUNCTION audit_logentry_guard();""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_logentry_guard ON audit_logentry;",
    "DROP FUNCTION IF EXISTS audit_logentry_guard();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
