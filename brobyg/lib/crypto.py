"""Encryption of single sensitive values (such as CPR numbers) stored in the database.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
``settings.FIELD_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts, so keys can be
rotated. ``digest`` gives a keyed hash for finding equal values (duplicates) without decrypting.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "BROBYG_FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64 bytes)."
        ) from error


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with BROBYG_FIELD_ENCRYPTION_KEYS; "
            "was a key removed?"
        ) from None


def digest(value: str) -> str:
    """A keyed hash of ``value``: equal values give equal digests, and it reveals nothing."""
    if not value:
        return ""
    key = hashlib.sha256(b"brobyg-digest:" + settings.FIELD_ENCRYPTION_KEYS[-1].encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def development_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY, for development and tests only."""
    return base64.urlsafe_b64encode(hashlib.sha256(secret_key.encode()).digest()).decode()
