"""A coordinator excludes a peer for a citizen by writing part of the peer's name or e-mail: the
matching page lists no peers to choose from (thousands in a big municipality)."""

from django.urls import reverse
from django_scopes import scope

from brobyg.matching.models import Exclusion
from brobyg.orgs.choices import Role
from brobyg.test import in_org, make_member, make_peer, make_user, make_waiting_request


def _exclude(client, support_request, **data):
    return client.post(
        reverse("matching_request_exclude", args=[support_request.public_id]),
        {"reason": "Kender hinanden privat", **data},
    )


def _excluded(personas):
    with scope(organisation=personas.org_a.pk):
        return list(Exclusion.objects.values_list("peer__user__full_name", "reason"))


def test_one_peer_matching_what_is_written_is_excluded(client, personas, bob_peer, vera_peer):
    support_request, _token = make_waiting_request(personas.programme_a)
    client.force_login(personas.alice)
    response = _exclude(client, support_request, peer="nielsen")
    assert response.status_code == 302
    assert _excluded(personas) == [("Bob Nielsen", "Kender hinanden privat")]


def test_several_matches_ask_which_one_and_keep_what_was_written(client, personas, bob_peer):
    with in_org(personas.org_a):
        user = make_user("bo@example.org", "Bo Nielsen")
        make_member(personas.org_a, user, [Role.PEER])
        bo = make_peer(personas.org_a, user, [personas.programme_a])
    support_request, _token = make_waiting_request(personas.programme_a)
    client.force_login(personas.alice)

    response = _exclude(client, support_request, peer="Nielsen")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Several peers match" in page or "Flere peers passer" in page
    assert "bo@example.org" in page and "bob@example.org" in page
    assert "Kender hinanden privat" in page
    assert _excluded(personas) == []

    response = _exclude(client, support_request, peer="Nielsen", choice=str(bo.public_id))
    assert response.status_code == 302
    assert _excluded(personas) == [("Bo Nielsen", "Kender hinanden privat")]


def test_a_peer_of_another_organisation_is_not_found(client, personas, bob_peer, vera_peer):
    support_request, _token = make_waiting_request(personas.programme_a)
    client.force_login(personas.alice)
    response = _exclude(client, support_request, peer="Vera")
    assert response.status_code == 200
    assert "Vera" in response.content.decode()  # what was written is kept
    assert _excluded(personas) == []
    # Nor by choosing her directly.
    response = _exclude(client, support_request, peer="Bob", choice=str(vera_peer.public_id))
    assert _excluded(personas) == [("Bob Nielsen", "Kender hinanden privat")]
