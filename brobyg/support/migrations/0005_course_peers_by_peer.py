"""An index on a course's peers by peer, then course: matching's held places and peer care's
load count a programme's peers' live courses from it alone (a big municipality: 900 peers,
5,600 course places), without reading each place's row."""

from django.db import migrations

TABLE, INDEX = "support_course_peers", "course_peers_by_peer"


def add(apps, schema_editor):
    quote = schema_editor.quote_name
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS {quote(INDEX)} "
        f"ON {quote(TABLE)} ({quote('peer_id')}, {quote('course_id')})"
    )


def remove(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("support", "0004_course_quiet_order")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
