"""Held places (matching) count each peer's live courses from the index on a course's peers by
peer, then course, alone: no row of the table is read (a big municipality's programme, 900
peers and 5,600 course places: 9-12 -> 7-10.5 ms, benchmarks/README.md)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from brobyg.people.models import Peer
from brobyg.support import selectors
from brobyg.test import in_org, postgres_plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")


@pytest.mark.django_db(transaction=True)
def test_held_places_are_counted_from_the_index_alone(personas, course, bob_peer):
    # An index-only scan is cheapest only where the visibility map says the table's pages are
    # all visible, as in a live database: VACUUM sets it, outside a transaction.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) support_course_peers")
    with in_org(personas.org_a), transaction.atomic():
        peers = Peer.objects.filter(organisation=personas.org_a).values("pk")
        with CaptureQueriesContext(connection) as queries:
            counts = selectors.live_course_counts(personas.org_a, peers)
        [sql] = [q["sql"] for q in queries.captured_queries]
        plan = postgres_plan(sql, without=("seqscan", "bitmapscan", "hashjoin"))
    assert counts == {bob_peer.pk: 1}
    assert "Index Only Scan using course_peers_by_peer" in plan, plan
