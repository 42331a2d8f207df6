"""Webhooks: which client may be told of which event, and how a delivery is signed.

A delivery is a POST of JSON holding ids only::

    {"id": "<event id>", "type": "course.started", "occurred_at": "2026-12-06T09:00:00+00:00",
     "organisation": "<organisation id>", "data": {"course": "<id>", "citizen": "<id>"}}

signed with the subscription's secret: ``Brobyg-Signature: t=<unix time>,v1=<hex>``, where the
hex is HMAC-SHA256 over ``"<unix time>." + body``. The receiver recomputes it, compares in
constant time and refuses a time more than five minutes off; then it fetches what it may see
through the API (``/requests/{id}``, ``/courses``, ``/responses``).

A client is told of an event only when it may see the object through the API: it holds one of
the permissions of the operation that reads it and the object is in the same ``*_visible_to``
selector the operation uses, for the client's roles; a course's events also reach a client that
sees the course's request (a referrer's system: its referral's later status).
"""

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass

from brobyg.intake import selectors as intake_selectors
from brobyg.outcomes import selectors as outcome_selectors
from brobyg.support import selectors as support_selectors

SIGNATURE_HEADER = "Brobyg-Signature"
# A receiver should refuse a signature older than this (seconds).
TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class EventRule:
    """The client may be told when it holds one of ``permissions`` and the object is in
    ``visible(membership)``."""

    permissions: tuple[str, ...]
    visible: Callable  # membership -> queryset of the objects it may see


REQUEST_PERMISSIONS = ("view_waiting_list", "view_referral_status")


def _courses_of_visible_requests(membership):
    """The courses begun from requests the member sees: what the request status list's later
    status already tells (a referrer's system hears that its referral became a course)."""
    return support_selectors.courses_visible_to(membership).model.objects.filter(
        organisation=membership.organisation,
        support_request__in=intake_selectors.requests_visible_to(membership),
    )


COURSE_RULES = (
    EventRule(("view_courses",), support_selectors.courses_visible_to),
    EventRule(REQUEST_PERMISSIONS, _courses_of_visible_requests),
)

# Per event, the rules of which any one lets a client be told.
RULES = {
    "request.status_changed": (
        EventRule(REQUEST_PERMISSIONS, intake_selectors.requests_visible_to),
    ),
    "course.started": COURSE_RULES,
    "course.ended": COURSE_RULES,
    "questionnaire.answered": (
        EventRule(("view_outcomes",), outcome_selectors.responses_visible_to),
    ),
    "handover.accepted": (
        EventRule(("view_courses",), support_selectors.sent_handovers_visible_to),
    ),
}


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Brobyg-Signature`` header's value."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int) -> bool:
    """What a receiver does (the tests' receiver does exactly this)."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)
