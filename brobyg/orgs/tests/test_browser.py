"""Browser tests of logging in, switching organisation and the start page of every role.

Every page they visit is also checked for accessibility (see brobyg/browser.py).
"""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from playwright.sync_api import expect

from brobyg.browser import (
    log_in,
    log_out,
    logged_in_marker,
    submit_authenticator_code,
    submit_password,
    switch_language,
)
from brobyg.orgs.choices import Role
from brobyg.orgs.models import User
from brobyg.orgs.permissions import permissions_for_roles
from brobyg.test import TOTP_SECRET, make_member, totp_code

pytestmark = pytest.mark.browser

# The English headings of the role sections (templates/orgs/start/_<role>.html).
SECTION_HEADINGS = {
    Role.ADMIN: "Set up your organisation",
    Role.COORDINATOR: "Your programmes and peers",
    Role.PEER: "Your work as a peer",
    Role.MANAGER: "Overview of the programmes",
    Role.SUPERVISOR: "Supervision",
    Role.REFERRER: "Where you can refer citizens",
    Role.EVALUATOR: "Evaluation",
    Role.PRIVACY_OFFICER: "Data protection: the last 7 days",
}
# The pages of the main menu, and the permission that shows each.
MENU_PAGES = [
    ("programme_list", "view_programmes"),
    ("member_list", "view_members"),
    ("audit_entry_list", "view_audit_log"),
]


def exact_path(url_name: str) -> re.Pattern:
    return re.compile(re.escape(reverse(url_name)) + "$")


def expect_language(page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def a_wrong_code() -> str:
    """A six-digit code that no nearby 30-second window accepts."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    valid = {format_hotp_value(hotp_value(TOTP_SECRET, counter + i)) for i in range(-3, 4)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


@pytest.mark.parametrize("language", ["da", "en"])
def test_logging_in_asks_for_the_authenticator_code(page, live_site, language):
    alice = live_site.personas.alice
    page.goto(reverse("start"))
    expect_language(page, "da")
    if language == "en":
        switch_language(page, "en")
    page.locator(f"main a[href='{reverse('account_login')}']").click()
    expect(page).to_have_url(exact_path("account_login"))

    submit_password(page, alice)
    expect_language(page, language)
    submit_authenticator_code(page, a_wrong_code())
    expect(page.locator("input[name=code][aria-invalid=true]")).to_be_visible()
    expect(page).to_have_url(exact_path("mfa_authenticate"))
    expect(logged_in_marker(page)).to_have_count(0)

    submit_authenticator_code(page, totp_code())
    expect(page).to_have_url(exact_path("start"))
    expect(logged_in_marker(page)).to_be_visible()
    expect_language(page, language)
    expect(page.locator("section[aria-labelledby='section-coordinator']")).to_be_visible()


def test_switching_organisation_is_remembered_at_the_next_log_in(page, live_site):
    people = live_site.personas
    make_member(people.org_b, people.alice, [Role.COORDINATOR])
    User.objects.filter(pk=people.alice.pk).update(last_organisation=people.org_a)
    log_in(page, people.alice)
    switcher = page.locator("form.org-switcher")
    organisation = switcher.get_by_label("Organisation", exact=True)
    expect(organisation).to_have_value(str(people.org_a.public_id))
    expect(page.locator("main .lead")).to_contain_text(people.org_a.name)

    organisation.select_option(label=people.org_b.name)
    switcher.get_by_role("button").click()
    expect(organisation).to_have_value(str(people.org_b.public_id))
    expect(page.locator("main .lead")).to_contain_text(people.org_b.name)
    expect_language(page, "da")

    switch_language(page, "en")
    expect(page.locator("main .lead")).to_contain_text(f"You are working in {people.org_b.name}.")
    log_out(page)
    log_in(page, people.alice)
    expect_language(page, "en")
    expect(organisation).to_have_value(str(people.org_b.public_id))
    expect(page.locator("main .lead")).to_contain_text(f"You are working in {people.org_b.name}.")


@pytest.mark.parametrize("persona", ["ada", "alice", "bob", "maja", "sara", "rita", "eva", "per"])
def test_every_role_has_its_start_page_in_danish_and_english(page, live_site, persona):
    people = live_site.personas
    (role,) = getattr(people, f"{persona}_membership").roles
    permissions = permissions_for_roles([role])
    log_in(page, getattr(people, persona))

    for language in ["da", "en"]:
        if language == "en":
            switch_language(page, "en")
        page.locator("a.brand").click()
        expect(page).to_have_url(exact_path("start"))
        expect_language(page, language)
        sections = page.locator("section.role-section")
        expect(sections).to_have_count(1)
        heading = sections.get_by_role("heading", level=2)
        expect(sections).to_have_attribute("aria-labelledby", f"section-{role}")
        expect(heading).to_have_id(f"section-{role}")
        if language == "en":
            expect(heading).to_have_text(SECTION_HEADINGS[role])
        else:
            expect(heading).not_to_be_empty()

        menu = page.locator("nav.site-nav")
        for url_name, permission in MENU_PAGES:
            link = menu.locator(f"a[href='{reverse(url_name)}']")
            if permission not in permissions:
                expect(link).to_have_count(0)
                continue
            link.click()
            expect(page).to_have_url(exact_path(url_name))
            expect(link).to_have_attribute("aria-current", "page")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            if url_name == "programme_list":
                page.get_by_role("link", name=people.programme_a.name, exact=True).click()
                expect(page.get_by_role("heading", level=1)).to_have_text(people.programme_a.name)
