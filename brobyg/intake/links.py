"""The citizen's personal page link (the token helpers are in ``lib.links``)."""

from django.conf import settings
from django.urls import reverse


def personal_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("intake_personal_page", args=[token])
