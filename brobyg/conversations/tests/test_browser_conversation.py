"""On a phone: the citizen answers their peer through the personal link and the peer's open page
shows the answer by polling; a crisis message shows help at once and alerts the coordinator;
outside the answering hours the citizen sees when to expect an answer. A group's member reads the
facilitator and answers them only: another member never sees it."""

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.browser import log_in
from brobyg.conversations import services
from brobyg.conversations.models import Message
from brobyg.test import make_course, make_peer, make_waiting_request

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TUESDAY_MORNING = "2026-12-08 10:00 +01:00"
SATURDAY_NOON = "2026-12-12 12:00 +01:00"


def _english(page, live_site):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_site.url}]
    )


def test_a_citizen_answers_their_peer_and_a_crisis_message_shows_help(new_page, live_site):
    personas = live_site.personas
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        bob = make_peer(personas.org_a, personas.bob, [personas.programme_a])
        course = make_course(
            personas.programme_a,
            bob,
            actor=personas.alice,
            linked=False,
            name="Mette Holm",
            email="mette@example.org",
        )
        with scopes_disabled():
            conversation = services.message_write(
                actor=personas.bob, course=course, text="Hi Mette, shall we walk on Thursday?"
            ).conversation
            token = services.link_create(conversation=conversation)

        peer = new_page(**PHONE)
        _english(peer, live_site)
        log_in(peer, personas.bob)
        peer.goto(reverse("conversations_conversation", args=[course.public_id]))
        expect(peer.get_by_text("Hi Mette, shall we walk on Thursday?")).to_be_visible()

        citizen = new_page(**PHONE)
        _english(citizen, live_site)
        citizen.goto(reverse("conversations_citizen", args=[token]))
        expect(citizen.get_by_text("Hi Mette, shall we walk on Thursday?")).to_be_visible()
        expect(citizen.locator("#outside-hours")).to_have_count(0)
        citizen.get_by_label("Your message").fill("Yes please, at two?")
        citizen.get_by_role("button", name="Send").click()
        expect(citizen.get_by_text("Yes please, at two?")).to_be_visible()
        # The peer's open page shows the answer by polling, without a reload.
        expect(peer.get_by_text("Yes please, at two?")).to_be_visible(timeout=15_000)

        mail.outbox.clear()
        citizen.get_by_label("Your message").fill("I don't want to live anymore")
        citizen.get_by_role("button", name="Send").click()
        help_box = citizen.locator("#crisis-help")
        expect(help_box).to_be_visible()
        expect(help_box.locator('a[href="tel:112"]')).to_be_visible()
        expect(help_box.locator('a[href="tel:1813"]').first).to_be_visible()
        expect(help_box.get_by_text("Livslinien")).to_be_visible()
        with scopes_disabled():
            assert Message.objects.get(text="I don't want to live anymore").crisis
        alerts = [message for message in mail.outbox if personas.alice.email in message.to]
        assert alerts and "live anymore" not in alerts[0].body

    with time_machine.travel(SATURDAY_NOON, tick=True):
        citizen.reload()
        notice = citizen.locator("#outside-hours")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("Monday")
        expect(notice.locator('a[href="tel:1813"]').first).to_be_visible()


def test_a_group_member_reads_the_facilitator_and_answers_only_them(new_page, live_site):
    from brobyg.groups import services as group_services
    from brobyg.groups.tests.helpers import make_group

    personas = live_site.personas
    with time_machine.travel(TUESDAY_MORNING, tick=True):
        bob = make_peer(personas.org_a, personas.bob, [personas.programme_a])
        group = make_group(personas, facilitators=[bob])
        members = []
        for name in ("Mette Holm", "Mads Berg"):
            support_request, _token = make_waiting_request(personas.programme_a, name=name)
            with scopes_disabled():
                members.append(
                    group_services.participant_add(
                        actor=personas.alice,
                        group=group,
                        kind="citizen",
                        citizen=support_request.citizen,
                    )
                )
        with scopes_disabled():
            conversation = services.group_message_write(
                actor=personas.bob, group=group, text="Hi all, we meet at the station."
            ).conversation
            mette = services.link_create(conversation=conversation, participant=members[0])
            mads = services.link_create(conversation=conversation, participant=members[1])

        peer = new_page(**PHONE)
        _english(peer, live_site)
        log_in(peer, personas.bob)
        peer.goto(reverse("conversations_group_conversation", args=[group.public_id]))
        expect(peer.get_by_text("Hi all, we meet at the station.")).to_be_visible()

        citizen = new_page(**PHONE)
        _english(citizen, live_site)
        citizen.goto(reverse("conversations_citizen", args=[mette]))
        expect(citizen.get_by_text("Hi all, we meet at the station.")).to_be_visible()
        citizen.get_by_label("Your message").fill("I will be a little late")
        citizen.get_by_role("button", name="Send").click()
        expect(citizen.get_by_text("I will be a little late")).to_be_visible()
        # The facilitator's open page shows it by polling, with the member's name.
        expect(peer.get_by_text("I will be a little late")).to_be_visible(timeout=15_000)
        expect(peer.get_by_text("Mette Holm").first).to_be_visible()

        other = new_page(**PHONE)
        _english(other, live_site)
        other.goto(reverse("conversations_citizen", args=[mads]))
        expect(other.get_by_text("Hi all, we meet at the station.")).to_be_visible()
        expect(other.get_by_text("I will be a little late")).to_have_count(0)
        expect(other.get_by_text("Mette")).to_have_count(0)
