"""Queries that PostgreSQL plans afresh for their values every time they run.

A statement that a connection runs often is prepared (settings.py). PostgreSQL plans it for its
values five times, then keeps a generic plan if that plan does not look dearer. For most of
the daily pages this saves the planning. For a few queries the values decide the best plan:
which organisation (the big municipality or a small one), which day, and what a search asks
for. For these the kept plan is the slower one. Peer care's "Needs attention" on the big
municipality took 7.2 ms with the kept plan and 4.0-4.4 ms with a plan made for its values,
planning included. The waiting list searched for a name took 13.7 ms against 8.8 ms
(benchmarks/README.md, "Thirteenth pass").

Inside ``planned_for_values`` psycopg prepares nothing. Each statement then goes as an unnamed
statement, which PostgreSQL plans for the values it is sent with. On SQLite, or with prepared
statements turned off, it changes nothing.
"""

from contextlib import contextmanager

from django.db import connections, router


@contextmanager
def planned_for_values(model):
    """Run the block's queries of ``model``'s database without preparing them."""
    connection = connections[router.db_for_read(model)]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
