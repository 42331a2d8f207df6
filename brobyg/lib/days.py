"""Local calendar days as moments: product rules count days in Copenhagen time."""

from datetime import date, datetime, time

from django.utils import timezone


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.max))
