"""The start page's quiet courses are read in their order from the partial index
``course_quiet_order``, not sorted from every active course of the organisation (7,000 in a big
municipality, with a parallel worker: 14 -> 0.2 ms, benchmarks/pages.py)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership
from brobyg.support import selectors
from brobyg.test import in_org, postgres_plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")


def test_the_quiet_courses_are_read_in_their_order_from_the_index(personas):
    with in_org(personas.org_a), transaction.atomic():
        coordinator = Membership.objects.get(user=personas.alice, organisation=personas.org_a)
        assert Role.COORDINATOR in coordinator.roles
        courses = selectors.courses_visible_to(coordinator)
        with CaptureQueriesContext(connection) as queries:
            selectors.quiet_courses(courses, limit=10)
        [sql] = [q["sql"] for q in queries.captured_queries if "support_course" in q["sql"]]
        # The plan must still be able to avoid a sort.
        plan = postgres_plan(sql, without=("seqscan", "sort", "incremental_sort", "bitmapscan"))
    assert "course_quiet_order" in plan
    assert "Sort" not in plan
