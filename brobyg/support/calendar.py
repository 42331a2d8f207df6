"""A staff member's calendar: appointments from every app that plans them, in one week view and
one iCal feed.

Apps add their appointments with ``support.extensions.register_calendar_source``.
"""

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
