"""The peer check-in in peer care: the peer sees their own; coordinators see a flag only."""

from django.conf import settings
from django.urls import reverse

from brobyg.outcomes.tests.test_peer_checkin import STEADY, checkin


def test_a_check_in_alert_is_a_flag_only_for_the_coordinator(
    client, personas, instruments, django_capture_on_commit_callbacks
):
    from brobyg.test import make_peer

    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    checkin(peer, instruments, {**STEADY, "talk": 1}, django_capture_on_commit_callbacks)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(personas.alice)
    page = client.get(reverse("peercare_overview")).content.decode()
    assert "Asked for a break or a talk" in page
    assert "Your check-ins" not in page
    client.force_login(personas.bob)
    own = client.get(reverse("peercare_own")).content.decode()
    assert "Your check-ins" in own and "You have answered 1 check-in" in own
