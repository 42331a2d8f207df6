"""The citizen's personal link: a random secret whose digest alone is stored."""

import hashlib
import secrets

from django.conf import settings
from django.urls import reverse


def new_link_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def link_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def personal_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("intake_personal_page", args=[token])
