"""Browser test of the citizen's data page on a phone and the privacy officer's side of it.

Every page visited is also checked for accessibility (see brobyg/browser.py).
"""

import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.audit.services import log_action
from brobyg.browser import log_in
from brobyg.people.models import Consent
from brobyg.rights.models import DataRequest, RequestKind, RequestStatus
from brobyg.test import make_request

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _ask(page, kind, description, requests_listed):
    """Send a request from the page; the page lists it (each listed request's status is bold)."""
    page.locator(f"input[name$='-kind'][value='{kind}']").check()
    page.locator("textarea[name$='-description']").fill(description)
    page.locator("form:has(input[name=step][value=ask]) button[type=submit]").click()
    expect(page.locator("li:has(strong)")).to_have_count(requests_listed)


def test_a_citizen_uses_their_data_page_and_the_privacy_officer_answers(new_page, live_site):
    personas = live_site.personas
    with scopes_disabled():
        personas.org_a.show_staff_names_to_citizens = True
        personas.org_a.save(update_fields=["show_staff_names_to_citizens"])
        support_request, token = make_request(
            personas.programme_a, name="Ida Holm", email="ida@example.org"
        )
        citizen = support_request.citizen
    log_action(
        action="read",
        actor=personas.alice,
        organisation=personas.org_a,
        target=citizen,
        subject=citizen,
        reason="citizen page",
    )

    # The citizen, on a phone, opens the page by their personal link and sees who looked.
    phone = new_page(**PHONE, accept_downloads=True)
    phone.goto(reverse("rights_my_data_link", args=[token]))
    expect(phone.locator("h1")).to_be_visible()
    expect(phone.get_by_text("Ida Holm").first).to_be_visible()
    who_looked = phone.locator("table").filter(has_text="Testkommune")
    expect(who_looked).to_contain_text("Alice Jensen")
    expect(who_looked).to_contain_text("oordinator")

    # Withdraws the consent: it takes effect at once.
    phone.locator("form:has(input[name=step][value=withdraw]) button").click()
    expect(phone.locator("form:has(input[name=step][value=withdraw])")).to_have_count(0)
    with scopes_disabled():
        latest = Consent.objects.filter(citizen=citizen, purpose="support").latest("pk")
    assert latest.given is False

    # Downloads everything as JSON.
    with phone.expect_download() as download:
        phone.locator(f"a[href*='record={citizen.public_id}'][href*='format=json']").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["format"] == "brobyg-citizen-export"
    assert data["person"]["records"][0]["name"] == "Ida Holm"
    assert "Alice Jensen" in {entry["staff_member"] for entry in data["access_log"]}

    # Asks for a correction and for erasure.
    _ask(phone, "correction", "Mit telefonnummer er 31 45 67 89.", 1)
    _ask(phone, "erasure", "", 2)
    with scopes_disabled():
        correction = DataRequest.objects.get(citizen=citizen, kind=RequestKind.CORRECTION)
        erasure = DataRequest.objects.get(citizen=citizen, kind=RequestKind.ERASURE)

    # The privacy officer finds both on their list.
    officer = new_page()
    log_in(officer, personas.per)
    officer.goto(reverse("rights_request_list"))
    expect(
        officer.locator(
            f"a[href='{reverse('rights_request_detail', args=[correction.public_id])}']"
        )
    ).to_be_visible()

    # Corrects the details and answers the correction.
    officer.goto(reverse("rights_request_detail", args=[correction.public_id]))
    officer.locator(
        f"a[href='{reverse('rights_citizen_correct', args=[citizen.public_id])}']"
    ).click()
    officer.locator("#id_phone").fill("31456789")
    officer.locator("form:has(#id_phone) button[type=submit]").click()
    expect(officer.locator("#id_phone")).to_have_value("31456789")
    officer.goto(reverse("rights_request_detail", args=[correction.public_id]))
    officer.locator("input[name=decision][value=complete]").check()
    officer.locator("#id_note").fill("Dit telefonnummer er rettet.")
    officer.locator("form[action$='/decide/'] button[type=submit]").click()
    expect(officer.locator("form[action$='/decide/']")).to_have_count(0)

    # The erasure: a legal hold on the requests refuses it, and nothing is erased.
    officer.goto(reverse("rights_request_detail", args=[erasure.public_id]))
    officer.locator("select[name=category]").select_option("intake")
    officer.locator("input[name=reason]").fill("Journaliseringspligt efter serviceloven")
    officer.locator("form[action$='/holds/'] button[type=submit]").click()
    expect(officer.get_by_text("Journaliseringspligt efter serviceloven").first).to_be_visible()
    officer.locator("input[name=decision][value=erase]").check()
    officer.locator("form[action$='/decide/'] button[type=submit]").click()
    expect(officer.locator("form[action$='/decide/']")).to_be_visible()
    with scopes_disabled():
        erasure.refresh_from_db()
        citizen.refresh_from_db()
    assert erasure.status == RequestStatus.OPEN
    assert citizen.name == "Ida Holm"

    # The citizen sees the answer to the correction and the erasure still being handled.
    phone.reload()
    expect(phone.get_by_text("Dit telefonnummer er rettet.")).to_be_visible()
    expect(
        phone.locator("dd, li").filter(has_text=re.compile("31456789|31 45 67 89")).first
    ).to_be_visible()


def test_a_citizen_opens_their_page_by_code_and_their_erasure_waits_for_a_legal_hold(
    new_page, live_site
):
    personas = live_site.personas
    support_request, _token = make_request(
        personas.programme_a, name="Jonas Berg", email="jonas@example.org"
    )
    citizen = support_request.citizen
    log_action(
        action="read",
        actor=personas.alice,
        organisation=personas.org_a,
        target=citizen,
        subject=citizen,
        reason="citizen page",
    )

    # On a phone, without their link: a code by e-mail opens the page.
    phone = new_page(**PHONE)
    phone.goto(reverse("rights_my_data"))
    phone.locator("input[name=address]").fill("jonas@example.org")
    phone.locator("form:has(input[name=step][value=address]) button[type=submit]").click()
    expect(phone.locator("input[name=code]")).to_be_visible()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    phone.locator("input[name=code]").fill(code)
    phone.locator("form:has(input[name=step][value=code]) button[type=submit]").click()
    expect(phone.get_by_text("Jonas Berg").first).to_be_visible()
    # Who looked: organisation and role; no name, as the organisation has not chosen to show it.
    who_looked = phone.locator("table").filter(has_text="Testkommune")
    expect(who_looked).to_contain_text("oordinator")
    expect(who_looked).not_to_contain_text("Alice")
    _ask(phone, "erasure", "", 1)
    with scopes_disabled():
        erasure = DataRequest.objects.get(citizen=citizen, kind=RequestKind.ERASURE)

    # The privacy officer: a hold on the support courses makes that shredder refuse, and nothing
    # is erased; once the hold is lifted, the erasure is carried out.
    officer = new_page()
    log_in(officer, personas.per)
    detail = reverse("rights_request_detail", args=[erasure.public_id])
    officer.goto(detail)
    officer.locator("select[name=category]").select_option("support")
    officer.locator("input[name=reason]").fill("Journaliseringspligt efter serviceloven")
    officer.locator("form[action$='/holds/'] button[type=submit]").click()
    expect(officer.locator("form[action*='/lift/']")).to_be_visible()
    officer.locator("input[name=decision][value=erase]").check()
    officer.locator("form[action$='/decide/'] button[type=submit]").click()
    expect(officer.locator(".errorlist, .error-summary").first).to_be_visible()
    with scopes_disabled():
        citizen.refresh_from_db()
    assert citizen.name == "Jonas Berg"

    officer.locator("form[action*='/lift/'] button[type=submit]").click()
    expect(officer.locator("form[action*='/lift/']")).to_have_count(0)
    officer.locator("input[name=decision][value=erase]").check()
    officer.locator("form[action$='/decide/'] button[type=submit]").click()
    expect(officer.locator("form[action$='/decide/']")).to_have_count(0)
    with scopes_disabled():
        citizen.refresh_from_db()
        erasure.refresh_from_db()
    assert citizen.name == "—"
    assert erasure.status == RequestStatus.DONE
