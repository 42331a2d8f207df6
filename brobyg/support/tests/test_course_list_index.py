"""The course list's page is read in its order from an index, not sorted from every course of
the organisation (7,000 live courses in a big municipality: 17 -> 0.1 ms, benchmarks/pages.py)."""

import pytest
from django.db import connection, transaction

from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership
from brobyg.support import selectors
from brobyg.support.models import CourseStatus
from brobyg.test import in_org, postgres_plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")


@pytest.mark.parametrize("status", ["live", CourseStatus.ACTIVE, "all"])
def test_the_course_list_reads_its_order_from_the_index(personas, status):
    with in_org(personas.org_a), transaction.atomic():
        coordinator = Membership.objects.get(user=personas.alice, organisation=personas.org_a)
        assert Role.COORDINATOR in coordinator.roles
        courses = selectors.courses_visible_to(coordinator)
        if status == "live":
            courses = courses.exclude(status=CourseStatus.ENDED)
        listed = selectors.course_list(
            courses, status=status if status in CourseStatus.values else ""
        )
        # The plan must still be able to avoid a sort.
        plan = postgres_plan(listed[:50], without=("seqscan", "sort", "incremental_sort"))
    assert "course_list_order" in plan
    assert "Sort" not in plan
