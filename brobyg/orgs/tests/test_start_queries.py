"""The coordinator's and the manager's start pages cost the same queries however many requests,
peers, proposals and courses the organisation has: their panels count in the database."""

import pytest
from django.urls import reverse

from brobyg.matching.tests.test_list_queries import _add as _peers_with_proposals
from brobyg.support.tests.test_list_queries import _courses
from brobyg.test import assert_queries_do_not_grow


@pytest.mark.parametrize("user", ["alice", "maja"])
def test_the_start_page_does_not_grow_in_queries(client, personas, bob_peer, user):
    _peers_with_proposals(personas, 2, 0)
    _courses(personas, bob_peer, 2)
    client.force_login(getattr(personas, user))

    def grow():
        _peers_with_proposals(personas, 5, 100)
        _courses(personas, bob_peer, 5)

    assert_queries_do_not_grow(client, reverse("start"), grow=grow)
