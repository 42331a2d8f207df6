"""In the browser: the peer-care pages of a coordinator, a supervisor and a peer, each checked
for accessibility by axe (brobyg/browser.py); a peer takes a break on a phone and resumes."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from brobyg.browser import log_in, log_out
from brobyg.peercare.tests.conftest import held_session
from brobyg.test import make_peer

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_peer_care_pages_for_each_role(page, new_page, live_site):
    personas = live_site.personas
    bob = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    session = held_session(personas, [bob])

    log_in(page, personas.alice)
    for name, args in (
        ("peercare_overview", []),
        ("peercare_attention", []),
        ("peercare_load", []),
        ("peercare_peer", [bob.public_id]),
        ("peercare_programme", [personas.programme_a.public_id]),
    ):
        page.goto(reverse(name, args=args))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    log_out(page)

    log_in(page, personas.sara)
    for name, args in (
        ("peercare_supervision", []),
        ("peercare_session", [session.public_id]),
        ("peercare_session_create", []),
    ):
        page.goto(reverse(name, args=args))
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    phone = new_page(**PHONE)
    log_in(phone, personas.bob)
    for name in ("peercare_own", "peercare_own_pathway", "peercare_own_statement"):
        phone.goto(reverse(name))
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
    phone.goto(reverse("peercare_own_pause"))
    phone.get_by_role("button", name="Hold pause").click()
    phone.get_by_role("button", name="Jeg er klar til at starte igen").click()
    expect(phone.get_by_role("link", name="Jeg holder pause")).to_be_visible()
