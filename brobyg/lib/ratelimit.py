"""The rate limit of the public forms (a request for support, a group sign-up): one budget per
visitor address, ``BROBYG_INTAKE_RATE_LIMIT_COUNT`` submissions in
``BROBYG_INTAKE_RATE_LIMIT_SECONDS``."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from brobyg.audit.services import client_ip


def rate_limit() -> tuple[int, int]:
    count, seconds = settings.BROBYG_INTAKE_RATE_LIMIT
    return int(count), int(seconds)


def _rate_key(request) -> str:
    # The address itself is personal data: the cache keeps a hash of it.
    address = client_ip(request) or "unknown"
    return "intake-submissions:" + hashlib.sha256(address.encode()).hexdigest()


def over_rate_limit(request) -> bool:
    count, _seconds = rate_limit()
    return cache.get(_rate_key(request), 0) >= count


def count_submission(request) -> None:
    _count, seconds = rate_limit()
    key = _rate_key(request)
    cache.add(key, 0, timeout=seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
