"""In the browser, on a phone: a peer records attendance for a 12-person session from the start
page, and the group page shows the result. Every page is checked for accessibility."""

import pytest
from django.urls import reverse
from django_scopes import scope
from playwright.sync_api import expect

from brobyg.browser import log_in, switch_language
from brobyg.groups.models import Attendance
from brobyg.groups.tests.helpers import add_people, make_group
from brobyg.test import make_peer

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_peer_records_attendance_for_twelve_on_a_phone(new_page, live_site):
    personas = live_site.personas
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    group = make_group(personas, facilitators=[peer], title="Recovery-kursus")
    people = add_people(group, 12)

    phone = new_page(**PHONE)
    phone.goto(reverse("account_login"))
    switch_language(phone, "en")
    log_in(phone, personas.bob)
    phone.goto(reverse("start"))
    expect(phone.get_by_role("heading", name="Your group sessions")).to_be_visible()
    phone.get_by_role("link", name="Attendance").first.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("session 1")

    checkboxes = phone.get_by_role("checkbox")
    expect(checkboxes).to_have_count(12)
    # Each row is a big target: tap the names, not the small boxes.
    for person in people[:10]:
        row = phone.locator(f"label[for='present-{person.public_id}']")
        expect(row).to_contain_text(person.name)
        box = row.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
        row.click()
    expect(phone.get_by_role("checkbox", checked=True)).to_have_count(10)
    phone.get_by_role("button", name="Save attendance").click()
    expect(phone.get_by_text("Attendance for session 1 was saved.")).to_be_visible()
    expect(phone.get_by_role("cell", name="10 / 12 (83 %)")).to_be_visible()
    # The page fits the phone's width: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    with scope(organisation=personas.org_a.pk):
        present = set(
            Attendance.objects.filter(session__group=group, present=True).values_list(
                "participant_id", flat=True
            )
        )
    assert present == {person.pk for person in people[:10]}


def test_someone_signs_up_on_the_public_page_on_a_phone(new_page, live_site):
    personas = live_site.personas
    group = make_group(personas, public_signup=True, title="Åben gå-gruppe")
    phone = new_page(**PHONE)
    phone.goto(reverse("account_login"))
    switch_language(phone, "en")
    phone.goto(reverse("groups_signup", args=[group.public_id]))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Åben gå-gruppe")
    phone.get_by_role("button", name="Sign me up").click()
    # Nothing sent: the errors are listed and each is on its field.
    expect(phone.get_by_role("heading", name="Please look at the following")).to_be_visible()
    phone.get_by_label("A relative").check()
    phone.get_by_label("Name", exact=False).first.fill("Hans Holm")
    phone.get_by_label("Year of birth", exact=False).fill("1962")
    phone.get_by_label("Municipality", exact=False).fill("Rudersdal")
    phone.get_by_label("Phone", exact=False).first.fill("20 30 40 50")
    phone.locator("input[name=in_crisis][value=no]").check()
    phone.get_by_label("I agree that my sign-up is stored", exact=False).check()
    phone.get_by_role("button", name="Sign me up").click()
    expect(phone.get_by_role("heading", name="Thank you for signing up")).to_be_visible()
    with scope(organisation=personas.org_a.pk):
        assert group.participants.get().own_name == "Hans Holm"
