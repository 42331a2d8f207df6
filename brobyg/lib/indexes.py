"""An index added to a big table without stopping its writes.

On PostgreSQL ``AddIndexConcurrently`` builds the index ``CONCURRENTLY`` (the table stays
writable while it is built; the migration is not atomic); other databases (SQLite) build it as
``AddIndex`` does. The model's ``Meta.indexes`` names the index as usual, so
``makemigrations --check`` stays clean."""

from django.contrib.postgres.operations import AddIndexConcurrently as PostgresConcurrently
from django.db.migrations.operations import AddIndex


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
