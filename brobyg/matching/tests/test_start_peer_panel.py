"""The peer's start panel lists the proposals waiting for their answer (the citizen's name and
the programme, read as those columns only) and costs the same queries however many wait."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.matching import services
from brobyg.people.models import Peer
from brobyg.test import assert_queries_do_not_grow, make_waiting_request


def _propose(personas, peer, names):
    requests = []
    for number, name in enumerate(names):
        support_request, _token = make_waiting_request(
            personas.programme_a, name=name, phone=f"5100{len(name):02d}{number:02d}"
        )
        with scope(organisation=personas.org_a.pk):
            services.match_propose(actor=personas.alice, support_request=support_request, peer=peer)
        requests.append(support_request)
    return requests


def test_the_peers_proposals_do_not_grow_in_queries(client, english, personas, bob_peer):
    with scopes_disabled():
        Peer.objects.filter(pk=bob_peer.pk).update(capacity=10)
    _propose(personas, bob_peer, ["Ane Ager"])
    client.force_login(personas.bob)
    response = assert_queries_do_not_grow(
        client,
        reverse("start"),
        grow=lambda: _propose(personas, bob_peer, ["Bo <Bæk>", "Cai Carl", "Dan Dam"]),
    )
    page = response.content.decode()
    assert "Bo &lt;Bæk&gt;" in page and "Ane Ager" in page
    assert page.count(f"({personas.programme_a.name})") >= 4
    with scopes_disabled():
        assert LogEntry.objects.filter(reason="start page: proposals waiting for the peer").exists()
