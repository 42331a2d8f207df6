"""Browser tests of the public form, the receipt and the personal link, using the keyboard only.

Every page they visit is also checked for accessibility (see brobyg/browser.py).
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.browser import log_in, switch_language
from brobyg.intake.models import SupportRequest
from brobyg.test import make_request

pytestmark = pytest.mark.browser

# Tab presses allowed to reach a field; the longest form has fewer tab stops than this.
MAX_TABS = 150


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def test_a_citizen_asks_for_support_and_withdraws_with_the_keyboard_only(page, live_site):
    programme = live_site.personas.programme_a
    page.goto(reverse("intake_self_referral", kwargs={"public_id": programme.public_id}))
    expect(page.locator("h1")).to_be_visible()

    tab_to(page, "#id_purposes_2")
    page.keyboard.press("Space")
    expect(page.locator("#id_purposes_2")).to_be_checked()
    type_into(page, "#id_own_words", "Jeg vil gerne møde en, der selv har haft angst.")
    type_into(page, "#id_name", "Mette Holm")
    type_into(page, "#id_birth_year", "1990")
    type_into(page, "#id_municipality", "Helsingør")
    type_into(page, "#id_email", "mette@example.org")
    # In a group of radio buttons with none chosen, Tab stops on the first; an arrow key chooses.
    tab_to(page, "#id_in_crisis_0")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_in_crisis_1")).to_be_checked()
    tab_to(page, "#id_consent_support")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent_support")).to_be_checked()
    expect(page.locator("#id_consent_questionnaires")).not_to_be_checked()
    tab_to(page, "form.intake-form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(reverse("intake_receipt")) + "$"))
    link = page.locator(".personal-link__url a")
    expect(link).to_have_attribute("href", re.compile(r"/my-request/[A-Za-z0-9_-]{40,}/$"))
    path = re.search(r"/my-request/[^/]+/", link.get_attribute("href"))[0]
    # The receipt e-mail carries the same link.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mette@example.org"]
    assert path in mail.outbox[0].body

    tab_to(page, ".personal-link__url a")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("input[name=step][value=withdraw]")).to_be_attached()

    tab_to(page, "button.intake-button--quiet")
    page.keyboard.press("Enter")
    confirm = "form:has(input[value=withdraw_confirmed]) button[type=submit]"
    expect(page.locator(confirm)).to_be_visible()
    tab_to(page, confirm)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("input[name=step][value=withdraw]")).to_have_count(0)
    with scopes_disabled():
        support_request = SupportRequest.objects.get()
    assert support_request.status == "withdrawn"
    expect(page.locator("#status-title")).to_contain_text(support_request.get_status_display())


def test_a_citizen_who_sends_too_little_is_taken_to_the_list_of_problems(page, live_site):
    organisation = live_site.personas.org_a
    page.goto(
        reverse("intake_self_referral_organisation", kwargs={"public_id": organisation.public_id})
    )
    type_into(page, "#id_name", "Mette Holm")
    page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_programme_0']")).to_be_visible()
    expect(summary.locator("a[href='#id_consent_support']")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Mette Holm")
    tab_to(page, ".error-summary a[href='#id_programme_0']")
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    expect(page.locator("#id_programme_0")).to_be_checked()
    with scopes_disabled():
        assert not SupportRequest.objects.exists()


def test_a_referrer_refers_a_citizen_and_follows_the_status(page, live_site):
    personas = live_site.personas
    log_in(page, personas.rita)
    page.goto(reverse("intake_referral_create"))
    page.locator("#id_programme").select_option(str(personas.programme_a.public_id))
    page.locator("#id_referral_reason").fill("Borgeren ønsker følgeskab efter udskrivelse.")
    page.locator("#id_name").fill("Ole Berg")
    page.locator("#id_birth_year").fill("1980")
    page.locator("#id_municipality").fill("Helsingør")
    page.locator("#id_phone").fill("20 30 40 50")
    page.locator("#id_in_crisis_1").check()
    page.locator("#id_consent_method_0").check()
    page.locator("#id_consent_support").check()
    page.locator("form.intake-form button[type=submit]").click()

    expect(page.locator("main")).to_contain_text("Ole Berg")
    page.locator(f"nav a[href='{reverse('intake_referral_list')}']").click()
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("Ole Berg")
    expect(page.locator("main")).not_to_contain_text("20 30 40 50")


def test_the_personal_page_keeps_its_address_to_itself_and_still_switches_language(page, live_site):
    _support_request, token = make_request(live_site.personas.programme_a)
    path = reverse("intake_personal_page", kwargs={"token": token})
    page.goto(path)
    switch_language(page, "en")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("h1")).to_have_text("Your request for peer support")
