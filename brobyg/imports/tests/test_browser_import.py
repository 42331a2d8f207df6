"""A coordinator uploads a waiting list with one bad row, sees what is wrong in the preview,
uploads the corrected file and imports it."""

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.browser import log_in
from brobyg.intake.models import SupportRequest

pytestmark = pytest.mark.browser

HEADER = "Navn;Telefon;Fødselsår;Indsats;På ventelisten siden\r\n"
GOOD = "Mette Holm;20304050;1988;Peer-støtte i socialpsykiatrien;15-01-2026\r\n"


def test_a_coordinator_fixes_a_bad_row_and_imports_the_waiting_list(page, live_site, tmp_path):
    personas = live_site.personas
    bad_file = tmp_path / "venteliste.csv"
    bad_file.write_bytes((HEADER + GOOD + "Jonas Berg;2030;1975;;03.02.2026\r\n").encode("cp1252"))
    fixed_file = tmp_path / "venteliste-rettet.csv"
    fixed_file.write_bytes(
        (HEADER + GOOD + "Jonas Berg;20304060;1975;;03.02.2026\r\n").encode("cp1252")
    )
    with time_machine.travel("2026-03-10 10:00 +01:00", tick=True):
        log_in(page, personas.alice)
        page.get_by_role("link", name="Import", exact=True).click()
        page.get_by_role("radio", name="Borgere på ventelisten").check()
        page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(str(bad_file))
        page.get_by_role("button", name="Upload og se rækkerne").click()

        expect(page.get_by_role("heading", name="1 række har fejl")).to_be_visible()
        expect(page.get_by_role("link", name='Række 3, kolonne "Telefon":')).to_be_visible()
        expect(page.get_by_role("button", name="Importér alle 2 rækker")).to_have_count(0)

        page.get_by_role("radio", name="Borgere på ventelisten").check()
        page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(str(fixed_file))
        page.get_by_role("button", name="Upload og se rækkerne").click()
        page.get_by_role("button", name="Importér alle 2 rækker").click()
        expect(page.get_by_text("2 rækker er importeret; 0 blev sprunget over.")).to_be_visible()
        page.get_by_role("link", name="Se det, der blev importeret").click()
        assert page.url.endswith(reverse("intake_waiting_list"))
        with scopes_disabled():
            assert set(SupportRequest.objects.values_list("citizen__name", flat=True)) == {
                "Mette Holm",
                "Jonas Berg",
            }
