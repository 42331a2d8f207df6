"""An index added to (or dropped from) a big table without stopping its writes.

On PostgreSQL ``AddIndexConcurrently`` builds the index ``CONCURRENTLY`` (the table stays
writable while it is built; the migration is not atomic) and ``RemoveIndexConcurrently`` drops
it so; other databases (SQLite) build and drop it as ``AddIndex`` and ``RemoveIndex`` do. The
model's ``Meta.indexes`` names the index as usual, so ``makemigrations --check`` stays clean."""

from django.contrib.postgres.operations import AddIndexConcurrently as PostgresConcurrently
from django.contrib.postgres.operations import (
    RemoveIndexConcurrently as PostgresRemoveConcurrently,
)
from django.db.migrations.operations import AddIndex, RemoveIndex


class AddIndexConcurrently(PostgresConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class RemoveIndexConcurrently(PostgresRemoveConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
