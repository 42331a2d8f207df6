"""Every page writes to the log, so it carries no index that another serves, and on PostgreSQL
the statistics that let a page filtered by a member read their entries newest first."""

import pytest
from django.db import connection

from brobyg.audit.models import LogEntry

pytestmark = pytest.mark.django_db


def test_the_log_has_only_indexes_no_other_serves():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, LogEntry._meta.db_table)
    indexed = sorted(
        tuple(details["columns"])
        for details in constraints.values()
        if details["index"] and not details["primary_key"]
    )
    assert indexed == [
        ("action", "created_at"),
        ("actor_id", "created_at"),
        ("organisation_id", "created_at"),
        ("subject_type", "subject_id"),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="extended statistics")
def test_postgresql_knows_that_the_actor_decides_the_organisation():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'audit_actor_organisation'"
        )
        assert cursor.fetchone() is not None
