"""On PostgreSQL, parameters are bound by the server and a statement that a connection has run
five times is prepared: its plan is kept instead of made again (settings.py), unless
``BROBYG_DATABASE_PREPARED_STATEMENTS`` turns it off."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from brobyg.lib.planning import planned_for_values
from brobyg.orgs.models import User

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


def _prepared_statements(cursor) -> list[str]:
    cursor.execute("SELECT statement FROM pg_prepared_statements")
    return [statement for (statement,) in cursor.fetchall()]


@on_postgresql
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


@on_postgresql
@pytest.mark.django_db
def test_a_statement_planned_for_its_values_is_never_prepared():
    """Inside ``planned_for_values`` a statement run six times is still planned for its values;
    after the block the connection prepares again as before."""
    with connection.cursor() as cursor:
        with planned_for_values(User):
            for run in range(6):
                cursor.execute("SELECT %s::integer + 2", [run])
                assert cursor.fetchone() == (run + 2,)
        assert not any("$1::integer + 2" in s for s in _prepared_statements(cursor))
        assert connection.connection.prepare_threshold == 5
        for run in range(6):
            cursor.execute("SELECT %s::integer + 2", [run])
        assert any("$1::integer + 2" in s for s in _prepared_statements(cursor))


@pytest.mark.django_db
def test_planned_for_values_restores_the_threshold_when_the_block_fails():
    with pytest.raises(ZeroDivisionError), planned_for_values(User):
        assert list(User.objects.filter(pk=-1)) == []
        1 / 0  # noqa: B018
    if connection.vendor == "postgresql":
        assert connection.connection.prepare_threshold == 5


def _postgresql_options(switch: str | None) -> dict:
    """The default database's OPTIONS as settings.py makes them for a PostgreSQL address, with
    ``BROBYG_DATABASE_PREPARED_STATEMENTS`` set to ``switch`` (unset: None)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("BROBYG_DATABASE_PREPARED_STATEMENTS", "DATABASE_REPLICA_URL")
    }
    environment["DATABASE_URL"] = "postgres://brobyg@localhost/brobyg"
    if switch is not None:
        environment["BROBYG_DATABASE_PREPARED_STATEMENTS"] = switch
    code = "import json, brobyg.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    printed = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(printed)


@pytest.mark.parametrize(
    ("switch", "prepared"), [(None, True), ("on", True), ("off", False), ("0", False)]
)
def test_the_switch_turns_server_binding_and_preparing_on_or_off(switch, prepared):
    options = _postgresql_options(switch)
    assert options["options"] == "-c jit=off"
    if prepared:
        assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)
    else:
        assert "server_side_binding" not in options and "prepare_threshold" not in options
