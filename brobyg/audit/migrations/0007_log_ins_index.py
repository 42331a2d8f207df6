"""The members' log-ins (entries of no organisation) get their own index, by actor and time.

A privacy officer's log shows their members' log-ins beside the organisation's entries. For a
small organisation PostgreSQL found them by intersecting all log-ins with every entry of each
member (thousands each): 21 ms of the page's 46 at national scale (``benchmarks/pages.py``). From
this index it reads each member's log-ins alone (2 ms). Only log-ins are in it, so the entries
every page writes do not update it.

Created CONCURRENTLY on PostgreSQL (writes to the log go on meanwhile), as 0006 drops indexes."""

from django.db import migrations, models

LOG_INS = models.Index(
    fields=["actor", "-created_at"],
    condition=models.Q(organisation__isnull=True),
    name="audit_log_ins",
)


def _concurrently(schema_editor) -> dict:
    return {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}


def create_index(apps, schema_editor):
    model = apps.get_model("audit", "LogEntry")
    schema_editor.add_index(model, LOG_INS, **_concurrently(schema_editor))


def drop_index(apps, schema_editor):
    model = apps.get_model("audit", "LogEntry")
    schema_editor.remove_index(model, LOG_INS, **_concurrently(schema_editor))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("audit", "0006_fewer_indexes_actor_statistics")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="logentry", index=LOG_INS)],
            database_operations=[migrations.RunPython(create_index, drop_index, elidable=False)],
        ),
    ]
