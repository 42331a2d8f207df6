"""Two coordinators approving at once can never push a peer over capacity.

Real transactions in parallel threads need a server database: this runs on PostgreSQL (CI runs
the suite there too). ``match_propose`` locks the peer's row before it counts the peer's places.
To make the race certain rather than likely, every thread waits after counting until all have
counted: without the lock they all do so at once and all insert; with it only one thread is ever
inside, its wait times out once (half a second) and the others find the barrier broken.
"""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope

from brobyg.matching import selectors, services
from brobyg.matching.models import Match
from brobyg.test import in_org, make_member, make_peer, make_user, make_waiting_request

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_proposals_never_exceed_a_peers_capacity(personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs real parallel transactions (PostgreSQL)")
    user = make_user("pia@example.org", "Pia Holm")
    make_member(personas.org_a, user, ["peer"])
    peer = make_peer(personas.org_a, user, [personas.programme_a], capacity=2)
    carl = make_user("coordinator2@example.org", "Anden Koordinator")
    make_member(personas.org_a, carl, ["coordinator"])
    requests = [
        make_waiting_request(personas.programme_a, name=f"Borger {i}", phone=f"2000000{i}")[0]
        for i in range(8)
    ]
    start = threading.Barrier(len(requests))
    counted = threading.Barrier(len(requests))
    outcomes = []
    pair_allowed = selectors.pair_allowed

    def pair_allowed_then_wait(*args, **kwargs):
        result = pair_allowed(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait(timeout=0.5)
        return result

    monkeypatch.setattr(selectors, "pair_allowed", pair_allowed_then_wait)

    def propose(support_request, actor):
        try:
            start.wait()
            with scope(organisation=personas.org_a.pk):
                services.match_propose(actor=actor, support_request=support_request, peer=peer)
            outcomes.append("proposed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=propose, args=(r, personas.alice if i % 2 else carl))
        for i, r in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with in_org(personas.org_a):
        live = Match.objects.filter(peer=peer).count()
    assert live == 2
    assert sorted(outcomes) == ["proposed"] * 2 + ["refused"] * 6
