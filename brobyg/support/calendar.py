"""A staff member's calendar: appointments from every app that plans them, in one week view and
one iCal feed.

Apps add their appointments with ``register_calendar_source``, called from ``AppConfig.ready()``
(support registers course sessions and hand-over meetings; groups registers group sessions).
A source gives the entries of one member between two moments.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarEntry:
    """One appointment. ``title`` is shown in the app; ``feed_title`` goes into the iCal feed,
    which leaves the app (phones, shared calendars), so it carries initials only, never a name,
    a place of treatment or a note."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    title: str
    feed_title: str
    location: str = ""
    url: str = ""
    kind: str = ""
    subject: object = None  # the citizen named in ``title``, for the audit log; never in the feed


# source(membership, start, end) -> the member's entries that start in [start, end)
CalendarSource = Callable[[object, datetime, datetime], Iterable[CalendarEntry]]

_SOURCES: dict[str, CalendarSource] = {}


def register_calendar_source(name: str, source: CalendarSource) -> None:
    _SOURCES[name] = source


def entries_for(membership, start: datetime, end: datetime) -> list[CalendarEntry]:
    entries = [entry for source in _SOURCES.values() for entry in source(membership, start, end)]
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.uid))
