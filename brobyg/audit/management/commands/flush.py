"""Django's ``flush``, which empties the database (test teardown between transactional tests),
with the permit the audit log's delete trigger asks for on SQLite. PostgreSQL's flush truncates,
which fires no row triggers."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from brobyg.audit.permit import deletion_permit


class Command(FlushCommand):
    def handle(self, **options):
        using = options["database"]
        if connections[using].vendor != "sqlite":
            return super().handle(**options)
        with deletion_permit(everything=True, using=using):
            return super().handle(**options)
