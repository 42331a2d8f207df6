"""The matching overview and the peer list cost the same number of queries however many
requests and peers they show."""

import pytest
from django.urls import reverse
from django_scopes import scope

from brobyg.matching import services
from brobyg.orgs.choices import Role
from brobyg.test import (
    assert_queries_do_not_grow,
    in_org,
    make_member,
    make_peer,
    make_user,
    make_waiting_request,
)


def _add(personas, count, start):
    """``count`` peers, each proposed for a request of their own."""
    for number in range(start, start + count):
        with in_org(personas.org_a):
            user = make_user(f"peer{number}@example.org", f"Peer {number}")
            make_member(personas.org_a, user, [Role.PEER])
            peer = make_peer(personas.org_a, user, [personas.programme_a])
        support_request, _token = make_waiting_request(
            personas.programme_a, name=f"Borger {number}", phone=f"4000{number:04d}"
        )
        with scope(organisation=personas.org_a.pk):
            services.match_propose(actor=personas.alice, support_request=support_request, peer=peer)


@pytest.mark.parametrize(
    "url_name, shown", [("matching_overview", "Borger 105"), ("matching_peer_list", "Peer 105")]
)
def test_it_does_not_grow_in_queries(client, personas, url_name, shown):
    _add(personas, 2, 0)
    client.force_login(personas.alice)
    response = assert_queries_do_not_grow(
        client, reverse(url_name), grow=lambda: _add(personas, 6, 100)
    )
    assert shown in response.content.decode()


def test_a_requests_matching_page_does_not_grow_in_queries_with_the_peers(client, personas):
    """Every peer of the programme is a candidate, and each is checked for cautions."""
    support_request, _token = make_waiting_request(personas.programme_a, name="Borger Søger")
    _add(personas, 2, 0)
    client.force_login(personas.alice)
    response = assert_queries_do_not_grow(
        client,
        reverse("matching_request", args=[support_request.public_id]),
        grow=lambda: _add(personas, 6, 100),
    )
    assert "Borger Søger" in response.content.decode()
