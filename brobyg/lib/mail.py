"""Sending the platform's e-mails: one way, for every app.

E-mail leaves the platform, so what an app sends holds no personal data beyond what the recipient
may see (staff get a link behind the log-in). A failure is logged with the object's id and the
kind of error only: mail errors quote addresses.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_templated_mail(
    template: str, context: dict, recipients, *, what: str, about=None, language: str = "da"
) -> bool:
    """Send ``<template>_subject.txt`` and ``<template>.txt`` rendered in ``language`` to each of
    ``recipients`` (duplicates dropped); False when there is nobody or the server fails."""
    recipients = sorted(set(recipients))
    if not recipients:
        return False
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception as error:
        reference = f" for {about.public_id}" if about is not None else ""
        logger.error("%s%s not sent: %s", what, reference, type(error).__name__)
        return False
    return True
