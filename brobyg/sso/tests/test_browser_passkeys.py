"""Passkeys (WebAuthn, through allauth's MFA) in Chromium with a virtual authenticator."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from brobyg.browser import log_in, log_out, logged_in_marker
from brobyg.test import PASSWORD


def add_virtual_authenticator(page):
    """Chromium's DevTools virtual authenticator: a platform authenticator that holds resident
    keys and verifies the user without asking."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session


@pytest.mark.browser
def test_a_passkey_is_added_and_then_logs_in_without_a_password(page, live_site):
    from allauth.mfa.models import Authenticator

    add_virtual_authenticator(page)
    alice = live_site.personas.alice
    log_in(page, alice)
    page.goto(reverse("mfa_add_webauthn"))
    # allauth asks for the password once more before a second factor is added.
    expect(page).to_have_url(re.compile(re.escape(reverse("account_reauthenticate"))))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main [type=submit]").first.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_add_webauthn")) + "$"))
    page.locator("input[name=name]").fill("Min bærbare")
    page.locator("input[name=passwordless]").check()
    page.locator("#mfa_webauthn_add").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("mfa_add_webauthn")) + "$"))
    expect(logged_in_marker(page)).to_be_attached()
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.WEBAUTHN).exists()

    log_out(page)
    page.locator("#passkey_login").click()
    expect(logged_in_marker(page)).to_be_attached()
    page.goto(reverse("programme_list"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
