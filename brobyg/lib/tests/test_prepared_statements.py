"""On PostgreSQL, parameters are bound by the server and a statement that a connection has run
five times is prepared: its plan is kept instead of made again (settings.py)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


def _prepared_statements(cursor) -> list[str]:
    cursor.execute("SELECT statement FROM pg_prepared_statements")
    return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.django_db
def test_a_statement_run_five_times_is_prepared():
    with connection.cursor() as cursor:
        for run in range(5):
            cursor.execute("SELECT %s::integer + 1", [run])
            assert cursor.fetchone() == (run + 1,)
        assert not any("$1::integer + 1" in s for s in _prepared_statements(cursor))
        cursor.execute("SELECT %s::integer + 1", [41])
        assert cursor.fetchone() == (42,)
        assert any("$1::integer + 1" in s for s in _prepared_statements(cursor))
