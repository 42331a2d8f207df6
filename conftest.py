import pytest
from django.core.cache import cache

from brobyg.test import create_personas

pytest_plugins = ["brobyg.browser"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth remembers used authenticator codes in the cache; start every test afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def personas(db):
    return create_personas()
