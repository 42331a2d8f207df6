"""In the browser: a person applies on a phone, the coordinator moves the application through
the stages (recording the certificate as seen) to active, and the new volunteer peer is then
suggested by matching for a citizen waiting in the volunteer programme."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.browser import log_in
from brobyg.test import make_waiting_request
from brobyg.volunteers.models import Application

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_from_application_on_a_phone_to_a_suggested_volunteer_peer(page, new_page, live_site):
    personas = live_site.personas
    phone = new_page(**PHONE)
    phone.goto(reverse("volunteer_apply", args=[personas.org_b.public_id]))
    expect(phone.get_by_role("heading", name="Bliv frivillig peer-støtte")).to_be_visible()
    phone.get_by_label("Din egen erfaring med psykiske vanskeligheder og recovery").fill(
        "Jeg havde angst i mange år; i dag har jeg et godt hverdagsliv."
    )
    phone.get_by_label("Angst", exact=True).check()
    phone.get_by_label("Hvorfor vil du gerne være frivillig peer-støtte?").fill(
        "Jeg vil gerne være det håb, jeg selv manglede."
    )
    phone.get_by_label("Hvor mange timer om måneden kan du give?").fill("8")
    phone.get_by_label("Aftener").check()
    phone.get_by_label("Dit navn eller det navn, du gerne vil kaldes").fill("Jonas Berg")
    phone.get_by_label("Fødselsår").fill("1985")
    phone.get_by_label("Den kommune, du bor i").select_option("Rudersdal")
    phone.get_by_label("E-mail").fill("jonas@example.org")
    phone.get_by_label("Nej", exact=True).check()
    phone.get_by_label("Jeg giver samtykke til", exact=False).check()
    phone.get_by_role("button", name="Send min ansøgning").click()
    expect(phone.get_by_role("heading", name="Vi har modtaget din ansøgning")).to_be_visible()

    with scopes_disabled():
        application = Application.objects.get()
    log_in(page, personas.carl)
    page.goto(reverse("volunteers_pipeline"))
    page.get_by_role("link", name="Jonas Berg").click()
    expect(page.get_by_role("heading", name="Ansøgning fra Jonas Berg")).to_be_visible()
    page.get_by_role("combobox", name="Flyt til").select_option(label="Første samtale")
    page.get_by_role("textbox", name="Note til dette trin").fill("God første samtale.")
    page.get_by_role("button", name="Flyt", exact=True).click()
    expect(page.get_by_text("Ansøgningen blev flyttet.")).to_be_visible()
    expect(page.get_by_text("God første samtale.")).to_be_visible()
    page.get_by_role("combobox", name="Flyt til").select_option(label="Aktiv")
    page.get_by_role("button", name="Flyt", exact=True).click()
    expect(page.get_by_text("straffeattesten er set", exact=False)).to_be_visible()
    page.get_by_role("combobox", name="Flyt til").select_option(label="Aktiv")
    page.get_by_role("combobox", name="Straffeattest set").select_option("criminal_record")
    page.get_by_label("Dato, attesten blev set").fill("2026-01-05")
    page.get_by_role("button", name="Flyt", exact=True).click()
    expect(page.get_by_text("Jonas Berg er nu aktiv frivillig peer-støtte")).to_be_visible()

    with scopes_disabled():
        application.refresh_from_db()
        assert application.peer is not None
    support_request, _token = make_waiting_request(
        personas.programme_b,
        request_data={
            "purposes": ["wellbeing"],
            "forms": ["individual"],
            "availability": ["evenings"],
        },
    )
    page.goto(reverse("matching_request", args=[support_request.public_id]))
    expect(page.get_by_role("button", name="Foreslå Jonas Berg")).to_be_visible()
