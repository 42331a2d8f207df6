"""On a phone: a peer logs a session in a handful of taps from the start page."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from brobyg.browser import log_in
from brobyg.support.models import Session, SessionStatus
from brobyg.test import make_course, make_peer

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_peer_logs_a_session_on_a_phone_in_at_most_8_interactions(new_page, live_site):
    personas = live_site.personas
    bob = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    course = make_course(
        personas.programme_a, bob, actor=personas.alice, linked=False, name="Mette Holm"
    )

    phone = new_page(**PHONE)
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_site.url}]
    )
    log_in(phone, personas.bob)

    interactions = 0

    def act(step):
        nonlocal interactions
        interactions += 1
        step()

    act(lambda: phone.goto(reverse("support_course_list")))
    act(lambda: phone.get_by_role("link", name="Mette Holm").click())
    act(lambda: phone.get_by_role("link", name="Log a session").click())
    act(lambda: phone.get_by_label("Hope").check())
    act(lambda: phone.get_by_label("Short note").fill("We walked by the lakes. She felt stronger."))
    act(lambda: phone.get_by_role("button", name="Save the session").click())
    expect(phone.get_by_text("The session was logged.")).to_be_visible()
    assert interactions <= 8

    with scopes_disabled():
        session = Session.objects.get(course=course)
    assert session.status == SessionStatus.HELD
    assert session.chime_themes == ["hope"]
    assert session.peer == bob
