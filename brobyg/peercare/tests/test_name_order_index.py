"""Lists of an organisation's peers by name (peer care's coverage table, the peer list) can be
read in name order from the users' ``user_name_order`` index: PostgreSQL stops at a page's worth
of the organisation's peers instead of joining and sorting all of them (2,000 peers of a big
municipality: 3.5-5.5 -> 0.8-1.2 ms a page, benchmarks/pages.py's database)."""

import pytest
from django.db import connection, transaction

from brobyg.matching import selectors as matching_selectors
from brobyg.peercare import selectors
from brobyg.test import in_org, make_member, make_peer, make_user, postgres_plan

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")


@pytest.fixture
def peers(personas):
    made = []
    for number in range(4):
        user = make_user(f"peer{number}@example.org", f"Peer {number}")
        make_member(personas.org_a, user, ["peer"])
        made.append(make_peer(personas.org_a, user, [personas.programme_a]))
    return made


def _plan(listed):
    # The plan must still be able to read the names in their order.
    with transaction.atomic():
        return postgres_plan(
            listed.all()[:50], without=("seqscan", "sort", "hashjoin", "mergejoin")
        )


@pytest.mark.parametrize("page", ["coverage", "peer list"])
def test_a_page_of_peers_by_name_reads_the_name_index(personas, peers, page):
    with in_org(personas.org_a):
        if page == "coverage":
            listed = selectors.coverage_peers(personas.org_a)
        else:
            listed = matching_selectors.peers_of_organisation(personas.org_a)
        names = [peer.user.full_name for peer in listed]
        plan = _plan(listed)
    assert names == sorted(names)
    assert "user_name_order" in plan
