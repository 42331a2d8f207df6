"""The log's time, actor and organisation lose their single-column indexes, which the indexes
on (organisation, time), (actor, time) and (action, time) already serve. Every page a member
opens writes entries (one per person a list shows): three indexes fewer to update per entry.

The indexes are dropped by name, CONCURRENTLY on PostgreSQL (writes go on meanwhile). Django's
own AlterField would drop and re-add the foreign keys (reading all the log's rows to check them
again) on PostgreSQL and rebuild the table, losing its append-only triggers, on SQLite.

On PostgreSQL the log also gets statistics on how the actor decides the organisation: without
them the planner multiplied the two columns' shares, expected a few hundred of a member's 28,000
entries in their organisation, and read and sorted all 28,000 to show a page of the log filtered
by that member (60 ms, benchmarks/pages.py); with them it reads the (actor, time) index newest
first and stops after a page (0.2 ms)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Index name (as Django named it) -> column.
SINGLE_COLUMN_INDEXES = {
    "audit_logentry_actor_id_aa518855": "actor_id",
    "audit_logentry_created_at_9bb5f526": "created_at",
    "audit_logentry_organisation_id_1a89745a": "organisation_id",
}


def _concurrently(schema_editor) -> str:
    return "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""


def drop_indexes(apps, schema_editor):
    for index in SINGLE_COLUMN_INDEXES:
        schema_editor.execute(
            f"DROP INDEX {_concurrently(schema_editor)}IF EXISTS {schema_editor.quote_name(index)}"
        )


def add_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE STATISTICS IF NOT EXISTS audit_actor_organisation (dependencies) "
        "ON actor_id, organisation_id FROM audit_logentry"
    )
    schema_editor.execute("ANALYZE audit_logentry")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS audit_actor_organisation")


def create_indexes(apps, schema_editor):
    for index, column in SINGLE_COLUMN_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {_concurrently(schema_editor)}IF NOT EXISTS "
            f"{schema_editor.quote_name(index)} ON {schema_editor.quote_name('audit_logentry')} "
            f"({schema_editor.quote_name(column)})"
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("audit", "0005_log_entry_api_client"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="logentry",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="logentry",
                    name="created_at",
                    field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                migrations.AlterField(
                    model_name="logentry",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.organisation",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_indexes, create_indexes, elidable=False),
            ],
        ),
        migrations.RunPython(add_statistics, drop_statistics, elidable=False),
    ]
