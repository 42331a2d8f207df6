"""The citizen's personal page follows the whole path: request, a proposal answered from the
page itself, the course with its planned meetings, the hand-over to the volunteer centre, end."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.matching import services as matching_services
from brobyg.matching.models import Match, MatchStatus
from brobyg.support import services
from brobyg.support.models import Course
from brobyg.test import make_peer, make_waiting_request

pytestmark = pytest.mark.browser


def _status(page):
    return page.locator("#status-title")


def test_the_personal_page_follows_the_citizen_from_request_to_hand_over(new_page, live_site):
    personas = live_site.personas
    bob = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    vera = make_peer(personas.org_b, personas.vera, [personas.programme_b], kind="volunteer")
    support_request, token = make_waiting_request(personas.programme_a, name="Lone Holm")
    page = new_page()
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_site.url}]
    )
    personal = reverse("intake_personal_page", kwargs={"token": token})
    page.goto(personal)
    expect(_status(page)).to_contain_text("On the waiting list")

    with scopes_disabled():
        match = matching_services.match_propose(
            actor=personas.alice, support_request=support_request, peer=bob
        )
    page.goto(personal)
    expect(_status(page)).to_contain_text("A peer is being asked")

    with scopes_disabled():
        matching_services.match_peer_answer(actor=personas.bob, match=match, accept=True)
    page.goto(personal)
    expect(_status(page)).to_contain_text("A peer has said yes")
    expect(page.get_by_text("On the waiting list")).to_have_count(0)
    page.get_by_role("link", name="Read the proposal and answer").click()
    page.get_by_label("Yes, I would like to meet").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    with scopes_disabled():
        assert Match.objects.get(pk=match.pk).status == MatchStatus.ACTIVE
        course = Course.objects.get(match=match)
    page.get_by_role("link", name="Back to your request's page").click()
    expect(_status(page)).to_contain_text("Your course")
    expect(page.get_by_text("Your peer contacts you to agree your next meeting.")).to_be_visible()

    meeting = (timezone.localtime() + timedelta(days=4)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    with scopes_disabled():
        services.session_plan(
            actor=personas.bob, course=course, data={"starts_at": meeting, "place": "Caféen"}
        )
    page.goto(personal)
    expect(page.get_by_role("heading", name="Planned meetings")).to_be_visible()
    expect(page.get_by_text("Caféen")).to_be_visible()

    with scopes_disabled():
        handover = services.handover_propose(
            actor=personas.bob,
            course=course,
            receiving_programme=personas.programme_b,
            reason="Klar til frivillig støtte.",
        )
    page.goto(personal)
    expect(_status(page)).to_contain_text(f"On the way to {personas.org_b.name}")

    bridge = meeting + timedelta(days=2)
    with scopes_disabled():
        services.handover_record_consent(
            actor=personas.bob, handover=handover, fields=["name", "contact"], method="in_person"
        )
        services.handover_accept(
            actor=personas.carl,
            handover=handover,
            peer=vera,
            meeting_at=bridge,
            meeting_place="Frivilligcentret",
        )
    page.goto(personal)
    expect(_status(page)).to_contain_text(f"Continuing at {personas.org_b.name}")
    expect(page.get_by_text("agree your first meeting")).to_have_count(0)
    expect(page.get_by_text("The meeting with your new peer")).to_be_visible()
    expect(page.get_by_text("Frivilligcentret").first).to_be_visible()

    with scopes_disabled():
        services.course_end(
            actor=personas.bob,
            course=course,
            ended_on=timezone.localdate(),
            reason="moved_on",
        )
    page.goto(personal)
    expect(_status(page)).to_contain_text("Your course has ended")
    expect(page.get_by_role("heading", name="Your path so far")).to_be_visible()
