"""The start page's queues: each programme's waiting requests are numbered in the order of the
partial index ``request_queue_order``, read from the index alone, and only the middle ones are
returned unsorted (3,400 open requests in a big municipality: 10-14 -> 5 ms under EXPLAIN
ANALYZE, no sort of every request), then put in the programmes' order in Python."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.intake import selectors
from brobyg.intake.models import SupportRequest
from brobyg.test import in_org, make_programme, make_request, postgres_plan


def _request(programme, phone, *, days_ago):
    support_request, _token = make_request(programme, name="Borger", phone=phone)
    with scopes_disabled():
        SupportRequest.objects.filter(pk=support_request.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago, hours=1)
        )


def test_the_queues_come_in_the_programmes_order_by_name(personas):
    last = make_programme(personas.org_a, "Øvrige forløb")
    first = make_programme(personas.org_a, "Angst-mentorer")
    for programme, phone, days in [
        (last, "11111111", 3),
        (first, "22222222", 5),
        (personas.programme_a, "33333333", 2),
        (first, "44444444", 1),
    ]:
        _request(programme, phone, days_ago=days)
    with in_org(personas.org_a):
        figures = selectors.queue_figures(personas.org_a)
    names = [figure["programme"].name for figure in figures]
    assert names == sorted([last.name, first.name, personas.programme_a.name])
    assert [figure["median_days"] for figure in figures][names.index(first.name)] == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.django_db(transaction=True)
def test_the_queues_are_numbered_in_the_order_of_the_index(personas):
    _request(personas.programme_a, "11111111", days_ago=3)
    # An index-only scan is cheapest only where the visibility map says the table's pages are
    # all visible, as in a live database: VACUUM sets it (outside a transaction, hence a
    # transactional test), so the planner's choice does not vary with the test table's history.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) intake_supportrequest")
    with in_org(personas.org_a), transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            selectors.queue_figures(personas.org_a)
        [sql] = [q["sql"] for q in queries.captured_queries if "intake_supportrequest" in q["sql"]]
        # The plan must still be able to avoid a sort.
        plan = postgres_plan(sql, without=("seqscan", "bitmapscan", "sort"))
    assert "Index Only Scan using request_queue_order" in plan
    assert "Sort Key: intake_supportrequest" not in plan
