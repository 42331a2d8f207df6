"""Cursor pagination and changed-since filtering for lists a case system synchronises.

A list is ordered by a change time and the primary key; the cursor is the position after the
last item given, opaque to the caller, so items changed or added while it pages are not skipped.
"""

import base64
import json
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from brobyg.api.problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _encode(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, pk = json.loads(raw)
        return datetime.fromisoformat(moment), int(pk)
    except (ValueError, TypeError, json.JSONDecodeError):
        raise Problem("malformed", _("The cursor is not one this list gave.")) from None


def parse_changed_since(value: str | None):
    """An ISO 8601 moment (local time when it has no offset), or None; anything else is a
    problem about ``changed_since``."""
    if value is None:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise Problem(
            "invalid-input",
            errors=[
                {
                    "field": "changed_since",
                    "message": _("Give a moment as ISO 8601, for example 2026-12-06T08:00:00Z."),
                }
            ],
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def page(queryset, *, field: str, cursor: str | None, limit: int, changed_since=None):
    """One page of ``queryset`` ordered by ``field`` then id: (items, next cursor or None)."""
    if changed_since is not None:
        queryset = queryset.filter(**{f"{field}__gte": changed_since})
    if cursor:
        moment, pk = _decode(cursor)
        queryset = queryset.filter(
            Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk})
        )
    items = list(queryset.order_by(field, "pk")[: limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    last = items[-1]
    return items, _encode(getattr(last, field), last.pk)
