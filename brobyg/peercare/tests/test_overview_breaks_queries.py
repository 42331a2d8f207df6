"""The overview's proposals waiting for a peer on a break and its recent breaks read only what
they show (no citizen, programme or peer's JSON columns) and cost the same queries however many
there are."""

from django.urls import reverse
from django_scopes import scope

from brobyg.matching import services as matching_services
from brobyg.peercare import services
from brobyg.test import (
    assert_queries_do_not_grow,
    make_member,
    make_peer,
    make_user,
    make_waiting_request,
)


def _paused_with_proposal(personas, number):
    user = make_user(f"pause{number}@example.org", f"Pausepeer {number}")
    make_member(personas.org_a, user, ["peer"])
    peer = make_peer(personas.org_a, user, [personas.programme_a])
    support_request, _token = make_waiting_request(
        personas.programme_a, name=f"Borger {number}", phone=f"4300{number:04d}"
    )
    with scope(organisation=personas.org_a.pk):
        match = matching_services.match_propose(
            actor=personas.alice, support_request=support_request, peer=peer
        )
        services.pause_take(actor=user, peer=peer, reason=f"Grund {number}")
    return peer, match


def test_the_overview_shows_proposals_and_breaks_in_constant_queries(client, english, personas):
    made = [_paused_with_proposal(personas, number) for number in range(2)]
    client.force_login(personas.alice)
    response = assert_queries_do_not_grow(
        client,
        reverse("peercare_overview"),
        grow=lambda: made.extend(_paused_with_proposal(personas, n) for n in range(10, 14)),
    )
    page = response.content.decode()
    assert len(response.context["waiting"]) == 6
    assert len(response.context["breaks"]) == 6
    for peer, match in made:
        assert str(match.public_id) in page
        assert f"{peer.user.full_name}: Proposed" in page
        assert f"Grund {peer.user.full_name.split()[-1]}" in page
