"""In the browser: a coordinator proposes the best peer, the peer accepts on a phone, the citizen
accepts through the personal link. Every page is checked for accessibility (brobyg/browser.py)."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from brobyg.browser import log_in, log_out
from brobyg.lib.templatetags.dates import short_datetime
from brobyg.matching import batch
from brobyg.test import make_peer, make_waiting_request

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_from_proposal_to_active_match(page, new_page, live_site):
    personas = live_site.personas
    make_peer(
        personas.org_a,
        personas.bob,
        [personas.programme_a],
        experience_areas=["anxiety"],
        availability=["wed_evening"],
        presentation="Jeg går gerne ture ved søerne.",
    )
    support_request, _token = make_waiting_request(
        personas.programme_a,
        request_data={
            "purposes": ["wellbeing"],
            "forms": ["individual"],
            "availability": ["evenings"],
        },
        email="mette@example.org",
    )
    with scope(organisation=personas.org_a.pk):
        run = batch.batch_run(
            actor=personas.alice, organisation=personas.org_a, programmes=[personas.programme_a]
        )

    log_in(page, personas.alice)
    page.goto(reverse("matching_overview"))
    # the batch run's link is its time, in the page's Danish
    page.get_by_role("link", name=short_datetime(run.created_at)).first.click()
    expect(page.get_by_text("Kan mødes om aftenen").first).to_be_visible()
    page.goto(reverse("matching_request", args=[support_request.public_id]))
    expect(page.get_by_text("Kan mødes om aftenen")).to_be_visible()
    page.get_by_role("button", name="Foreslå Bob Nielsen").click()
    expect(page.get_by_text("Bob Nielsen er blevet spurgt")).to_be_visible()

    phone = new_page(**PHONE)
    log_in(phone, personas.bob)
    phone.goto(reverse("start"))
    expect(phone.get_by_role("heading", name="Forslag til dig")).to_be_visible()
    phone.get_by_role("link", name="Mette Holm").first.click()
    phone.get_by_label("Ja, jeg siger ja").check()
    phone.get_by_role("button", name="Send mit svar").click()
    expect(phone.get_by_text("Tak. Nu bliver borgeren spurgt.")).to_be_visible()

    path = re.search(r"https?://[^/\s]+(/my-match/\S+/)", mail.outbox[-1].body).group(1)
    log_out(page)
    page.goto(path)
    expect(page.get_by_text("Jeg går gerne ture ved søerne.")).to_be_visible()
    page.get_by_label("Ja, jeg vil gerne mødes").check()
    page.get_by_role("button", name="Send mit svar").click()
    expect(page.get_by_role("heading", name="Tak for dit svar")).to_be_visible()


def test_matching_the_waiting_list_in_the_background(page, live_site, monkeypatch):
    """The coordinator starts a run; the page follows it while the worker has not taken it,
    shows its result once the worker has made it, and leads on to the review."""
    from brobyg.matching import tasks
    from brobyg.matching.models import BatchJob

    personas = live_site.personas
    make_peer(personas.org_a, personas.bob, [personas.programme_a], availability=["wed_evening"])
    make_waiting_request(
        personas.programme_a,
        request_data={"purposes": ["wellbeing"], "forms": ["individual"]},
        name="Mette Holm",
    )
    monkeypatch.setattr(tasks, "run_batch", SimpleNamespace(enqueue=lambda job_id: None))

    log_in(page, personas.alice)
    page.goto(reverse("matching_overview"))
    page.get_by_label(personas.programme_a.name).check()
    page.get_by_role("button", name="Beregn forslag").click()
    expect(page.get_by_text("Brobyg matcher ventelisten.")).to_be_visible()
    expect(page.get_by_text("Venter på baggrundsprocessen")).to_be_visible()
    monkeypatch.undo()
    with scopes_disabled():
        job = BatchJob.objects.get()
    tasks.run_batch.call(str(job.public_id))  # the worker takes it; the page asks again
    expect(page.get_by_text("Forslagene er klar: 1 af 1 ventende borgere")).to_be_visible()
    page.get_by_role("link", name="Se forslagene igennem").click()
    expect(page.get_by_text("Mette Holm → Bob Nielsen")).to_be_visible()
