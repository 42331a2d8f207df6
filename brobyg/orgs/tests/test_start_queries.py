"""Every role's start page costs the same queries however many requests, peers, proposals and
courses the organisation has (its panels count in the database), and no more than its budget.

The budget is 15 queries for every role (issue 23): one query finds the session, one the user
with their memberships and second factor (``orgs.selectors.signed_in_user``); the session is
saved only once a minute (``lib.middleware.SessionActivityMiddleware``); the panels' figures are
counted together in one query (``orgs.start.counted``) and the lists they show are logged in one
INSERT (``audit.services.list_reads_written_together``). The coordinator's and the manager's
pages hold what they hold today: the quiet courses come with their programme's limit
(``support.selectors.only_quiet``), the questionnaire panel counts the schedules of the page's
own programmes (``orgs.start.start_programmes``). The coordinator's page is measured also with
a name in every list it shows (urgent requests, quiet courses, peers who need attention, a
check-in alert), as a big municipality's is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobyg.intake.models import SupportRequest
from brobyg.matching.tests.test_list_queries import _add as _peers_with_proposals
from brobyg.outcomes.tests.test_peer_checkin import STEADY, checkin
from brobyg.peercare.selectors import ATTENTION_SHOWN
from brobyg.peercare.tests.test_list_queries import _peers as _overdue_peers
from brobyg.support.tests.test_list_queries import _courses
from brobyg.test import assert_queries_do_not_grow, in_org, make_waiting_request

BUDGET = 15
BUDGETS = {"alice": 12, "maja": 7}


@pytest.mark.parametrize("user", ["ada", "alice", "bob", "maja", "sara", "rita", "eva", "per"])
def test_the_start_page_does_not_grow_in_queries(client, personas, bob_peer, user):
    _peers_with_proposals(personas, 2, 0)
    _courses(personas, bob_peer, 2)
    client.force_login(getattr(personas, user))

    def grow():
        _peers_with_proposals(personas, 5, 100)
        _courses(personas, bob_peer, 5)

    assert_queries_do_not_grow(client, reverse("start"), grow=grow)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("start"))
    assert len(queries) <= BUDGETS.get(user, BUDGET)


def test_the_coordinators_start_page_keeps_its_budget_with_a_name_in_every_list(
    client, personas, bob_peer, instruments, django_capture_on_commit_callbacks
):
    def urgent_requests(count):
        for number in range(count):
            support_request, _token = make_waiting_request(
                personas.programme_a,
                name=f"Akut {count}-{number}",
                phone=f"4{count:03d}{number:04d}",
            )
            with in_org(personas.org_a):
                SupportRequest.objects.filter(pk=support_request.pk).update(urgent=True)

    urgent_requests(1)
    _courses(personas, bob_peer, 1)
    _overdue_peers(personas, 2, 0)
    checkin(bob_peer, instruments, {**STEADY, "talk": 1}, django_capture_on_commit_callbacks)
    client.force_login(personas.alice)

    def grow():
        urgent_requests(8)
        _courses(personas, bob_peer, 4)
        _overdue_peers(personas, ATTENTION_SHOWN + 5, 100)

    response = assert_queries_do_not_grow(client, reverse("start"), grow=grow)
    page = response.content.decode()
    for shown in ("Akut 8-0", "Borger 4-0", "Peer 100", personas.bob.full_name):
        assert shown in page
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("start"))
    assert len(queries) <= BUDGET, "\n".join(query["sql"][:60] for query in queries)
