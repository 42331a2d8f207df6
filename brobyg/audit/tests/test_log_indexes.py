"""Every page writes to the log, so it carries no index that another serves, and on PostgreSQL
the statistics that let a page filtered by a member read their entries newest first. The
members' log-ins have a partial index of their own, which the entries that pages write never
touch."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from brobyg.audit import selectors
from brobyg.audit.models import Action, LogEntry
from brobyg.test import postgres_plan

pytestmark = pytest.mark.django_db


def test_the_log_has_only_indexes_no_other_serves():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, LogEntry._meta.db_table)
    indexed = {
        name: tuple(details["columns"])
        for name, details in constraints.items()
        if details["index"] and not details["primary_key"]
    }
    assert indexed == {
        "audit_action_time": ("action", "created_at"),
        "audit_actor_time": ("actor_id", "created_at"),
        "audit_log_ins": ("actor_id", "created_at"),
        "audit_org_time": ("organisation_id", "created_at"),
        "audit_subject": ("subject_type", "subject_id"),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="extended statistics")
def test_postgresql_knows_that_the_actor_decides_the_organisation():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'audit_actor_organisation'"
        )
        assert cursor.fetchone() is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_members_log_ins_are_read_from_their_own_index(personas):
    LogEntry.objects.create(actor=personas.alice, action=Action.LOGIN)
    LogEntry.objects.create(actor=personas.alice, organisation=personas.org_a, action=Action.READ)
    _filed_under, log_ins = selectors.entry_parts_for_organisation(personas.org_a)
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            list(log_ins.order_by("-created_at", "-id")[:51])
        [sql] = [q["sql"] for q in queries.captured_queries]
        plan = postgres_plan(sql, without=("seqscan", "bitmapscan"))
    assert "using audit_log_ins on audit_logentry" in plan
