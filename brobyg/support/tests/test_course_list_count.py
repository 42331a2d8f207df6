"""The course list's count (``selectors.course_list_count``) is the number of courses the list
shows, for every status asked for and for a coordinator and a peer; on PostgreSQL it is read
from the ``course_list_order`` index alone."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brobyg.orgs.models import Membership
from brobyg.support import selectors
from brobyg.support.models import Course, CourseStatus
from brobyg.test import in_org, make_course, make_peer, postgres_plan


@pytest.fixture
def courses(personas, bob_peer):
    made = [
        make_course(
            personas.programme_a,
            bob_peer,
            actor=personas.alice,
            name=f"Borger {number}",
            phone=f"4200{number:04d}",
            data={"started_on": timezone.localdate() - timedelta(days=200 + number)},
        )
        for number in range(6)
    ]
    other = make_peer(personas.org_a, personas.alice, [personas.programme_a])
    made.append(
        make_course(
            personas.programme_a, other, actor=personas.alice, name="Borger 9", phone="42009999"
        )
    )
    with in_org(personas.org_a):
        Course.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(
            status=CourseStatus.ENDED, ended_on=timezone.localdate()
        )
        Course.objects.filter(pk=made[2].pk).update(status=CourseStatus.PAUSED)
    return made


@pytest.mark.parametrize("user", ["alice", "bob"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "live"},
        {"status": "active"},
        {"status": "paused"},
        {"status": "ended"},
        {"status": "all"},
        {"quiet": "1"},
        {"status": "all", "quiet": "1"},
    ],
)
def test_the_count_is_the_number_of_courses_listed(client, personas, courses, user, params):
    client.force_login(getattr(personas, user))
    page = client.get(reverse("support_course_list"), params).context["page"]
    assert page.paginator.count == len(page.object_list)
    with in_org(personas.org_a):
        membership = Membership.objects.get(
            user=getattr(personas, user), organisation=personas.org_a
        )
        visible = selectors.courses_visible_to(membership)
        status = params.get("status", "live")
        if status == "live":
            visible = visible.exclude(status=CourseStatus.ENDED)
        elif status != "all":
            visible = visible.filter(status=status)
        if params.get("quiet"):
            visible = selectors.only_quiet(visible)
        assert page.paginator.count == visible.count()


@pytest.mark.django_db(transaction=True)
def test_the_live_courses_are_counted_from_the_index(personas, courses):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    # An index-only scan is cheapest only where the visibility map says the table's pages are
    # all visible, as in a live database; a test's fresh rows are not until VACUUM has run (which
    # needs a transactional test). Without it the planner's choice varied between CI runs.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) support_course")
    with in_org(personas.org_a), transaction.atomic():
        coordinator = Membership.objects.get(user=personas.alice, organisation=personas.org_a)
        visible = selectors.courses_visible_to(coordinator)
        with CaptureQueriesContext(connection) as queries:
            count = selectors.course_list_count(visible, live=True)
        (counting,) = queries.captured_queries
        # The plan must still be able to use the index.
        plan = postgres_plan(counting["sql"], without=("seqscan", "bitmapscan"))
    assert count == 5
    # Counted from the index alone (the status is in it), the programmes' settings not joined.
    assert "Index Only Scan using course_list_order" in plan
    assert "Join" not in plan
