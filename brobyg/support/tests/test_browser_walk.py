"""The walk-through of issue 15 in a browser, in Danish: a citizen asks for support on the public
form; the coordinator screens the request and proposes a peer at once; the peer says yes; the
citizen answers from their personal page and follows their course there; the evaluator reads the
report. Every page on the way is checked with axe (see brobyg/browser.py)."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.browser import log_in
from brobyg.intake.models import SupportRequest
from brobyg.matching.models import Match, MatchStatus
from brobyg.support.models import Course
from brobyg.test import make_peer

pytestmark = pytest.mark.browser


def test_from_the_public_form_to_the_report(new_page, live_site):
    personas = live_site.personas
    make_peer(personas.org_a, personas.bob, [personas.programme_a])

    citizen = new_page()
    citizen.goto(
        reverse("intake_self_referral", kwargs={"public_id": personas.programme_a.public_id})
    )
    citizen.locator("#id_purposes_2").check()
    citizen.locator("#id_own_words").fill("Jeg vil gerne møde en, der selv har haft angst.")
    citizen.locator("#id_name").fill("Mette Holm")
    citizen.locator("#id_birth_year").fill("1990")
    citizen.locator("#id_municipality").fill("Helsingør")
    citizen.locator("#id_email").fill("mette@example.org")
    citizen.locator("#id_in_crisis_1").check()
    citizen.locator("#id_consent_support").check()
    citizen.locator("form.intake-form button[type=submit]").click()
    expect(citizen).to_have_url(re.compile(re.escape(reverse("intake_receipt")) + "$"))
    citizen.locator(".personal-link__url a").click()
    expect(citizen.locator("#status-title")).to_contain_text("Ny")
    personal = citizen.url
    with scopes_disabled():
        support_request = SupportRequest.objects.get()

    coordinator = new_page()
    log_in(coordinator, personas.alice)
    coordinator.goto(reverse("intake_request_detail", args=[support_request.public_id]))
    coordinator.get_by_label("Visiteret", exact=True).check()
    coordinator.get_by_role("button", name="Skift status").click()
    expect(coordinator.locator("dl.facts").first).to_contain_text("Visiteret")
    coordinator.get_by_role("link", name="Find en peer-støtte: de fem bedste").click()
    expect(coordinator.get_by_text("Når du foreslår en peer-støtter")).to_be_visible()
    coordinator.get_by_role("button", name="Foreslå Bob Nielsen").click()
    expect(coordinator.get_by_text("Bob Nielsen er blevet spurgt")).to_be_visible()

    citizen.goto(personal)
    expect(citizen.locator("#status-title")).to_contain_text("En peer-støtter bliver spurgt")

    peer = new_page()
    log_in(peer, personas.bob)
    peer.goto(reverse("start"))
    peer.get_by_role("link", name="Mette Holm").first.click()
    peer.get_by_label("Ja, jeg siger ja").check()
    peer.get_by_role("button", name="Send mit svar").click()
    expect(peer.get_by_text("Tak. Nu bliver borgeren spurgt.")).to_be_visible()

    citizen.goto(personal)
    expect(citizen.locator("#status-title")).to_contain_text("En peer-støtter har sagt ja")
    citizen.get_by_role("link", name="Læs forslaget, og svar").click()
    citizen.get_by_label("Ja, jeg vil gerne mødes").check()
    citizen.get_by_role("button", name="Send mit svar").click()
    expect(citizen.get_by_role("heading", name="Tak for dit svar")).to_be_visible()
    citizen.get_by_role("link", name="Tilbage til siden om din henvendelse").click()
    expect(citizen.locator("#status-title")).to_contain_text("Dit forløb")
    with scopes_disabled():
        assert Match.objects.get().status == MatchStatus.ACTIVE
        course = Course.objects.get()

    peer.goto(reverse("support_course_list"))
    peer.get_by_role("link", name="Mette Holm").click()
    expect(peer).to_have_url(re.compile(str(course.public_id)))
    expect(peer.get_by_role("heading", name="Forløb med Mette Holm")).to_be_visible()

    evaluator = new_page()
    log_in(evaluator, personas.eva)
    evaluator.goto(reverse("start"))
    evaluator.get_by_role("link", name="Åbn evalueringsrapporten").click()
    expect(evaluator).to_have_url(re.compile(re.escape(reverse("reports_report"))))
    expect(evaluator.get_by_role("heading", level=1)).to_be_visible()
    expect(evaluator.get_by_text("Mette Holm")).to_have_count(0)
