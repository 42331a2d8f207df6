import io

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from brobyg.test import create_personas, make_course, make_peer

pytest_plugins = ["brobyg.browser"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _session_saved_once(settings):
    """A session is saved again after ``SESSION_ACTIVITY_SECONDS``: a day here, so that how
    many queries a page costs does not depend on how long a test takes
    (``lib/tests/test_session_activity.py`` sets the minute back)."""
    settings.SESSION_ACTIVITY_SECONDS = 24 * 60 * 60


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth remembers used authenticator codes in the cache, and ``lib.compiled`` the SQL of
    queries it compiled (its keys name an organisation's id, which another test's data reuses);
    start every test afresh."""
    from brobyg.lib import compiled

    cache.clear()
    compiled.forget()
    yield
    cache.clear()


@pytest.fixture
def personas(db):
    return create_personas()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language: a request in English in an earlier test leaves
    English active in the thread, which would make a test's outcome depend on the order."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def bob_peer(personas):
    """Bob's peer profile in organisation A's programme."""
    return make_peer(personas.org_a, personas.bob, [personas.programme_a])


@pytest.fixture
def course(personas, bob_peer):
    """Lone Holm's live course with Bob in organisation A's programme, from her request."""
    return make_course(
        personas.programme_a,
        bob_peer,
        actor=personas.alice,
        goals="Komme ud blandt andre igen.",
        name="Lone Holm",
        email="lone@example.org",
    )


@pytest.fixture
def vera_peer(personas):
    """Vera's volunteer peer profile in organisation B's programme."""
    return make_peer(personas.org_b, personas.vera, [personas.programme_b], kind="volunteer")


@pytest.fixture
def demo(db, settings):
    """The demo installation, as ``make demo`` seeds it."""
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def instruments(db):
    """The shipped outcome instruments, loaded, by code."""
    from brobyg.outcomes.tests.helpers import load_instruments

    return load_instruments()


@pytest.fixture
def english(client):
    """The test client, asking for the English pages."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    """Texts go to ``brobyg.sms.backends.outbox`` in tests, empty at the start of each."""
    from brobyg.sms import backends

    settings.BROBYG_SMS_BACKEND = "locmem"
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()
