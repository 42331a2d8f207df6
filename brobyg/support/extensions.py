"""The hooks support offers other apps (groups sits beside support in the import direction, so
support never imports it); each registers from its ``AppConfig.ready()``.

- A calendar source: ``register_calendar_source(name, source)``; ``source(membership, start,
  end)`` gives the member's ``calendar.CalendarEntry`` items starting in [start, end) (support
  registers course sessions and hand-over meetings; groups registers group sessions).
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from brobyg.support.calendar import CalendarEntry

# source(membership, start, end) -> the member's entries that start in [start, end)
CalendarSource = Callable[[object, datetime, datetime], Iterable[CalendarEntry]]

_SOURCES: dict[str, CalendarSource] = {}


def register_calendar_source(name: str, source: CalendarSource) -> None:
    _SOURCES[name] = source


def entries_for(membership, start: datetime, end: datetime) -> list[CalendarEntry]:
    entries = [entry for source in _SOURCES.values() for entry in source(membership, start, end)]
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.uid))
