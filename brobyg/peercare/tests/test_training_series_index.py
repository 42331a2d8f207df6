"""Whether a later record renews one about to expire is answered from ``training_series`` alone
(a big municipality: the flagged peers' query 11 -> 5 ms under EXPLAIN ANALYZE, where
PostgreSQL had hashed all of its 6,000 records)."""

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from brobyg.lib import compiled
from brobyg.peercare import selectors
from brobyg.peercare.tests.test_flags_in_database import NOON, _peer, _record
from brobyg.test import in_org, postgres_plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.django_db(transaction=True)
def test_a_renewal_is_looked_up_in_the_series_index_alone(personas):
    with time_machine.travel(NOON, tick=False):
        peer = _peer(personas, "Kim")
        _record(personas, peer, expires_in=10, completed_days_ago=700)
        _record(personas, peer, expires_in=700, completed_days_ago=20)
        # An index-only scan needs the visibility map a live database has (VACUUM, outside a
        # transaction); the kept query is compiled afresh, so the test sees its SQL.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) peercare_trainingrecord")
        compiled.forget()
        with in_org(personas.org_a), transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                assert selectors.flagged_peer_ids(personas.org_a) == []
            [sql] = [q["sql"] for q in queries.captured_queries if "trainingrecord" in q["sql"]]
            plan = postgres_plan(sql, without=("seqscan", "bitmapscan", "hashjoin", "mergejoin"))
    assert "Index Only Scan using training_series on peercare_trainingrecord" in plan
