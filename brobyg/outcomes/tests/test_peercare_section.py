"""The peer check-in in peer care: the peer sees their own; coordinators see a flag only."""

import pytest
from django.urls import reverse
from django.utils import translation

from brobyg.outcomes.tests.test_peer_checkin import STEADY, checkin


def test_a_check_in_alert_is_a_flag_only_for_the_coordinator(
    client, english, personas, instruments, django_capture_on_commit_callbacks
):
    from brobyg.test import make_peer

    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    checkin(peer, instruments, {**STEADY, "talk": 1}, django_capture_on_commit_callbacks)
    client.force_login(personas.alice)
    page = client.get(reverse("peercare_overview")).content.decode()
    assert "Asked for a break or a talk" in page
    assert "Your check-ins" not in page
    client.force_login(personas.bob)
    own = client.get(reverse("peercare_own")).content.decode()
    assert "Your check-ins" in own and "You have answered 1 check-in" in own


def test_a_peer_who_asked_for_a_break_is_suggested_after_an_equal_peer_with_the_flag_only(
    client, personas, instruments, django_capture_on_commit_callbacks
):
    from django_scopes import scope

    from brobyg.matching import selectors
    from brobyg.matching.explain import citizen_lines, explanation_lines
    from brobyg.test import make_member, make_peer, make_user, make_waiting_request

    anna = make_user("anna@example.org", "Anna Lund")
    make_member(personas.org_a, anna, ["peer"])
    bob = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    other = make_peer(personas.org_a, anna, [personas.programme_a])
    support_request, _token = make_waiting_request(personas.programme_a)
    with scope(organisation=personas.org_a.pk):
        before = [c.peer for c in selectors.candidates_for_request(support_request).candidates]
    assert before == [bob, other]  # equal fit: the first made comes first

    checkin(bob, instruments, {**STEADY, "talk": 1}, django_capture_on_commit_callbacks)
    with scope(organisation=personas.org_a.pk):
        found = selectors.candidates_for_request(support_request).candidates
    assert [c.peer for c in found] == [other, bob]
    assert found[1].score == pytest.approx(found[0].score - selectors.CAUTION_PENALTY)
    with translation.override("en"):
        [caution] = [line for line in explanation_lines(found[1].explanation) if line["points"] < 0]
        assert caution["text"] == "Has asked for a break or a talk: talk with the peer first"
        assert not any("break" in line for line in citizen_lines(found[1].explanation))
