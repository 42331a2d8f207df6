"""Every role's start page costs the same queries however many requests, peers, proposals and
courses the organisation has (its panels count in the database), and no more than its budget.

The budget is 15 queries (issue 23); the coordinator's and the peer's start pages are not there
yet and are held at what they cost today, so that they can only get cheaper."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobyg.matching.tests.test_list_queries import _add as _peers_with_proposals
from brobyg.support.tests.test_list_queries import _courses
from brobyg.test import assert_queries_do_not_grow

BUDGET = 15
# Four queries find the session, the user, the membership and the second factor; three save
# the session (it is saved on every request for the idle timeout).
BUDGETS = {"alice": 29, "bob": 30}


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
