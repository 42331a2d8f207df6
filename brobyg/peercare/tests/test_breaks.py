"""'I'm taking a break': out of matching at once, coordinators told without a reason unless
given, resuming is one click, and every break is kept in an append-only log."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from brobyg.matching import batch, selectors
from brobyg.matching import services as matching_services
from brobyg.matching.models import MatchStatus
from brobyg.peercare import services
from brobyg.peercare.models import PauseAction, PauseLogEntry
from brobyg.people import services_peers
from brobyg.people.models import Peer, PeerStatus
from brobyg.test import in_org, make_waiting_request


def _status(peer):
    with in_org(peer.organisation):
        return Peer.objects.get(pk=peer.pk).status


def test_taking_a_break_tells_the_coordinator_without_a_reason(
    client, personas, bob_peer, django_capture_on_commit_callbacks
):
    client.force_login(personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("peercare_own_pause"), {"reason": ""})
    assert response.status_code == 302
    assert _status(bob_peer) == PeerStatus.PAUSED
    [message] = mail.outbox
    assert message.to == [personas.alice.email]
    assert personas.bob.full_name not in message.body
    assert "gav en grund" not in message.body and "gave a reason" not in message.body


def test_a_reason_given_is_seen_by_the_coordinator_behind_the_log_in_only(
    client, personas, bob_peer, django_capture_on_commit_callbacks
):
    client.force_login(personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peercare_own_pause"), {"reason": "Too much at home right now"})
    [message] = mail.outbox
    assert "Too much at home" not in message.body
    client.force_login(personas.alice)
    page = client.get(reverse("peercare_peer", args=[bob_peer.public_id])).content.decode()
    assert "Too much at home right now" in page


def test_resuming_is_one_click_and_returns_to_the_status_before(
    client, personas, bob_peer, django_capture_on_commit_callbacks
):
    client.force_login(personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peercare_own_pause"), {})
        response = client.post(reverse("peercare_own_resume"))
    assert response.status_code == 302
    assert _status(bob_peer) == PeerStatus.ACTIVE
    with in_org(personas.org_a):
        log = list(PauseLogEntry.objects.filter(peer=bob_peer).order_by("pk"))
    assert [entry.action for entry in log] == [PauseAction.PAUSED, PauseAction.RESUMED]
    assert len(mail.outbox) == 2


def test_the_pause_log_is_append_only(personas, bob_peer):
    with scope(organisation=personas.org_a.pk):
        entry = services.pause_take(actor=personas.bob, peer=bob_peer)
        entry.reason = "changed"
        with pytest.raises(ValidationError):
            entry.save()
        with pytest.raises(ValidationError):
            entry.delete()


def test_a_pause_set_by_the_coordinator_is_not_lifted_by_the_peer(personas, bob_peer):
    with scope(organisation=personas.org_a.pk):
        services_peers.peer_update(
            actor=personas.alice, peer=bob_peer, data={"status": PeerStatus.PAUSED}
        )
        bob_peer.refresh_from_db()
        assert not services.can_resume(bob_peer)
        with pytest.raises(ValidationError):
            services.pause_resume(actor=personas.bob, peer=bob_peer)


def test_only_the_peer_takes_their_own_break(personas, bob_peer):
    with scope(organisation=personas.org_a.pk), pytest.raises(ValidationError):
        services.pause_take(actor=personas.alice, peer=bob_peer)


def test_a_paused_peer_never_appears_in_single_or_batch_matching(
    client, personas, bob_peer, django_capture_on_commit_callbacks
):
    support_request, _token = make_waiting_request(personas.programme_a)
    with scope(organisation=personas.org_a.pk):
        before = selectors.candidates_for_request(support_request, limit=None)
        assert [c.peer for c in before.candidates] == [bob_peer]
    client.force_login(personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peercare_own_pause"), {})
    with scope(organisation=personas.org_a.pk):
        single = selectors.candidates_for_request(support_request, limit=None)
        assert single.candidates == []
        assert single.reason == {"code": "no_active_peers"}
        bob_peer.refresh_from_db()
        allowed, _score, _explanation, reason = selectors.pair_allowed(support_request, bob_peer)
        assert not allowed and reason == {"code": "peer_not_active"}
        with pytest.raises(ValidationError):
            matching_services.match_propose(
                actor=personas.alice, support_request=support_request, peer=bob_peer
            )
        run = batch.batch_run(
            actor=personas.alice, organisation=personas.org_a, programmes=[personas.programme_a]
        )
        assert run.peers_count == 0
        assert all(p.peer_id is None for p in run.proposals.all())


def test_proposals_waiting_for_a_paused_peer_stay_and_are_shown_to_the_coordinator(
    client, english, personas, bob_peer, django_capture_on_commit_callbacks
):
    support_request, _token = make_waiting_request(personas.programme_a)
    with scope(organisation=personas.org_a.pk):
        match = matching_services.match_propose(
            actor=personas.alice, support_request=support_request, peer=bob_peer
        )
    client.force_login(personas.bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peercare_own_pause"), {})
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    assert "1 proposal is still waiting" in mail.outbox[-1].body or "1 forslag" in (
        mail.outbox[-1].body
    )
    client.force_login(personas.alice)
    page = client.get(reverse("peercare_overview")).content.decode()
    assert "Proposals waiting for a peer on a break" in page
    assert str(match.public_id) in page


def test_a_managers_pages_never_show_the_reason(client, english, personas, bob_peer):
    client.force_login(personas.bob)
    client.post(reverse("peercare_own_pause"), {"reason": "MIN-EGEN-KRISE"})
    for user, sees in ((personas.alice, True), (personas.maja, False), (personas.sara, False)):
        client.force_login(user)
        for url in (
            reverse("peercare_overview"),
            reverse("peercare_peer", args=[bob_peer.public_id]),
        ):
            page = client.get(url).content.decode()
            assert ("MIN-EGEN-KRISE" in page) is sees, (user, url)
