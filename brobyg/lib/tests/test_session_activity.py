"""The idle timeout: a session is saved (and its expiry pushed on) when its last-activity stamp
is a minute old, not on every request, and still ends after the configured idle time."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _a_minute(settings):
    """The production setting (the suite's conftest makes it a day)."""
    settings.SESSION_ACTIVITY_SECONDS = 60


IDLE = timedelta(seconds=settings.SESSION_COOKIE_AGE)


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _saves_session(client) -> bool:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("start")).status_code == 200
    return any('UPDATE "django_session"' in query["sql"] for query in queries)


def test_it_saves_the_session_at_most_once_a_minute(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(personas.alice)
        assert _saves_session(client)
        assert _expiry(client) == START + IDLE
        clock.shift(timedelta(seconds=59))
        assert not _saves_session(client)
        assert _expiry(client) == START + IDLE
        clock.shift(timedelta(seconds=1))
        assert _saves_session(client)
        assert _expiry(client) == START + timedelta(minutes=1) + IDLE


def test_it_logs_out_after_the_idle_time_counted_from_the_last_save(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(personas.alice)
        assert _saves_session(client)
        clock.shift(timedelta(seconds=50))
        assert not _saves_session(client)
        # Idle since the request 50 seconds in, but the session was last saved at the start: it
        # ends a little early, never late.
        clock.shift(IDLE - timedelta(seconds=50))
        assert not client.get(reverse("start")).wsgi_request.user.is_authenticated


def test_activity_keeps_the_session_alive_past_the_idle_time(client, personas):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(personas.alice)
        for _ in range(3):
            assert client.get(reverse("start")).wsgi_request.user.is_authenticated
            clock.shift(IDLE - timedelta(minutes=2))
        assert client.get(reverse("start")).wsgi_request.user.is_authenticated


def test_it_does_not_make_a_session_for_an_anonymous_visitor(client, db):
    client.get(reverse("account_login"))
    assert not Session.objects.exists()
