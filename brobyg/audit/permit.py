"""The database's permit to delete audit entries (see migration 0003): held only inside the
transaction that deletes, by the retention job and by ``flush`` on SQLite."""

from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def deletion_permit(*, cutoff=None, everything=False, using="default"):
    """Within one transaction: let this connection delete access entries older than ``cutoff``
    (or, for ``flush`` only, every entry), then withdraw the permit."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        value = connection.ops.adapt_datetimefield_value(cutoff) if cutoff else None
        cursor.execute(
            "INSERT INTO audit_retention_permit (cutoff, everything) VALUES (%s, %s)",
            [value if value is not None else "1970-01-01 00:00:00", bool(everything)],
        )
        yield
        # On an error the transaction rolls back, and the permit with it.
        cursor.execute("DELETE FROM audit_retention_permit")
