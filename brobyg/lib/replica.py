"""Reads that may come from a read replica: the report's (issue 23).

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database (a PostgreSQL streaming
replica of ``default``) and ``ReplicaRouter`` sends the reads made inside ``replica_reads()`` to
it; every other read, and every write (also inside ``replica_reads()``), goes to ``default``.
Without a replica nothing changes. A replica lags its primary by a moment, which a report over
months does not notice; pages that show what was just saved never read from it."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_reading = ContextVar("brobyg_replica_reads", default=False)


@contextmanager
def replica_reads():
    """Send the reads of this block to the replica, when one is configured."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reading_from_replica() -> bool:
    """Whether a read here would go to the replica."""
    return _reading.get() and REPLICA in settings.DATABASES


def read_alias() -> str:
    """The database a read here goes to, for raw SQL (the router only sees the ORM's reads)."""
    return REPLICA if reading_from_replica() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if reading_from_replica() else None

    def db_for_write(self, model, **hints):
        # Also for an object read from the replica: writes always go to the primary.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication.
        return db != REPLICA
