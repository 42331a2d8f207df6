"""Sessions are Django's database sessions, read with a kept query (brobyg.lib.sessions)."""

import time_machine
from django.contrib.sessions.models import Session

from brobyg.lib import compiled
from brobyg.lib.sessions import SessionStore


def test_a_saved_session_loads_and_its_key_is_never_kept(db):
    compiled.forget()
    stored = SessionStore()
    stored["note"] = "hello"
    stored.create()
    stored.save()
    other = SessionStore()
    other["note"] = "other"
    other.save()
    assert SessionStore(stored.session_key).load() == {"note": "hello"}
    assert SessionStore(other.session_key).load() == {"note": "other"}
    kept = repr(compiled._kept)
    assert stored.session_key not in kept and other.session_key not in kept


def test_an_unknown_or_expired_session_loads_empty_and_forgets_its_key(db):
    with time_machine.travel("2027-03-01 10:00:00+00:00", tick=False):
        stored = SessionStore()
        stored["note"] = "hello"
        stored.set_expiry(60)
        stored.save()
        key = stored.session_key
    with time_machine.travel("2027-03-01 10:00:59+00:00", tick=False):
        assert SessionStore(key).load()["note"] == "hello"
    with time_machine.travel("2027-03-01 10:01:00+00:00", tick=False):
        expired = SessionStore(key)
        assert expired.load() == {}
        assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None
    assert Session.objects.filter(session_key=key).exists()
