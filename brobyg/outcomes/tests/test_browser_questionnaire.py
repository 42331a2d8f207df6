"""A citizen answers a questionnaire on a phone-sized screen with the keyboard only, through the
personal link; the link then refuses reuse. Every page is checked for accessibility too (see
brobyg/browser.py)."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.outcomes import services, services_answers
from brobyg.outcomes.models import Response
from brobyg.outcomes.tests.helpers import consenting_citizen, load_instruments
from brobyg.test import in_org

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Tab presses allowed to reach an element; the questionnaire pages have far fewer tab stops.
MAX_TABS = 60


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_citizen_answers_on_a_phone_with_the_keyboard_only(new_page, live_site):
    personas = live_site.personas
    instruments = load_instruments()
    citizen = consenting_citizen(personas.programme_a)
    with scopes_disabled():
        invitation, token = services.invitation_create_in_person(
            actor=personas.alice,
            citizen=citizen,
            instrument=instruments["who-5"],
            timepoint="baseline",
        )
    link = reverse("outcomes_answer", kwargs={"token": token})
    page = new_page(viewport=PHONE)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("WHO-5 Trivselsindeks")

    tab_to(page, "a[href='?step=1']")
    page.keyboard.press("Enter")
    # One question per screen. In a group of radio buttons with none chosen, Tab stops on the
    # first; each arrow key press chooses the next answer.
    for number, presses in enumerate([4, 3, 0, 2, 5], start=1):
        expect(page).to_have_url(re.compile(re.escape(link) + rf"\?step={number}$"))
        expect(page.locator("fieldset.question")).to_have_count(1)
        tab_to(page, f"input[name=item_w{number}]")
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
        if presses:
            expect(page.locator(f"input[name=item_w{number}][value='{presses}']")).to_be_checked()
        else:
            page.keyboard.press("Space")
            expect(page.locator(f"input[name=item_w{number}][value='0']")).to_be_checked()
        tab_to(page, "button[value=next]")
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(link) + r"\?step=6$"))
    expect(page.locator("input[name=mode][value=self]")).to_be_checked()
    tab_to(page, "input[name=see_chart]")
    page.keyboard.press("Space")
    tab_to(page, "button[value=send]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(link) + "$"))
    expect(page.locator("svg.chart")).to_be_visible()
    with scopes_disabled():
        response = Response.objects.get(invitation=invitation)
    assert response.is_completed
    assert response.answers == {"w1": 4, "w2": 3, "w3": 0, "w4": 2, "w5": 5}
    assert response.total == 56

    # The link refuses reuse, kindly: no questions, no buttons to send.
    page.goto(link + "?step=1")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("fieldset.question")).to_have_count(0)
    expect(page.locator("button[name=nav]")).to_have_count(0)


def _answered(citizen, instrument, answers, timepoint):
    with in_org(citizen.organisation):
        invitation, _ = services.invitation_create_in_person(
            actor=None, citizen=citizen, instrument=instrument, timepoint=timepoint
        )
        services_answers.response_save(invitation=invitation, answers=answers)
        services_answers.response_complete(invitation=invitation)


def test_staff_pages_are_accessible(page, live_site):
    """The coordinator's pages: a citizen's chart, asking in person with a QR code, schedules and
    the questionnaires; then the peer's own check-ins."""
    from brobyg.browser import log_in, log_out
    from brobyg.outcomes.tests.helpers import make_peer

    personas = live_site.personas
    instruments = load_instruments()
    citizen = consenting_citizen(personas.programme_a)
    for timepoint, level in (("baseline", 1), ("followup_3m", 2), ("followup_6m", 3)):
        _answered(
            citizen,
            instruments["brobyg-chime"],
            {item.id: level for item in instruments["brobyg-chime"].spec.scored_items},
            timepoint,
        )
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    with scopes_disabled():
        checkin, _ = services.invitation_create(
            organisation=personas.org_a,
            instrument=instruments["peer-checkin"],
            anchor_kind="peer",
            anchor_id=str(peer.public_id),
            timepoint="2026-01-05",
            user=personas.bob,
            peer=peer,
            send=False,
        )
        services_answers.response_save(invitation=checkin, answers={"w1": 3, "w2": 3, "talk": 1})
        services_answers.response_complete(invitation=checkin)

    log_in(page, personas.alice)
    expect(
        page.get_by_role("heading", name=re.compile("Peers who may need a talk|Peer"))
    ).to_be_visible()
    page.goto(reverse("outcomes_citizen", args=[citizen.public_id]))
    expect(page.locator("svg.chart")).to_be_visible()
    page.locator("select[name=instrument]").select_option(
        str(instruments["brobyg-chime"].public_id)
    )
    page.locator("form[action$='/invite/'] button[type=submit]").click()
    expect(page.locator(".qr-box svg")).to_be_visible()
    page.goto(reverse("outcomes_programme_schedules", args=[personas.programme_a.public_id]))
    page.locator("input[value=defaults] + div button").click()
    expect(page.locator("table")).to_be_visible()
    page.goto(reverse("outcomes_instrument_list"))
    page.goto(reverse("outcomes_instrument_detail", args=[instruments["qpr-15"].public_id]))
    log_out(page)

    log_in(page, personas.bob)
    page.goto(reverse("outcomes_my_checkins"))
    expect(page.locator("svg.chart")).to_be_visible()
