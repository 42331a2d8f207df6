"""Short dates as each language writes them: "6. dec. 2026" in Danish (with the usual month
abbreviations; "maj" is a whole word), "6 Dec 2026" in English. Django's "M" gives "Dec" in both.
Built into every template (settings.TEMPLATES builtins)."""

from datetime import date, datetime

from django import template
from django.utils import dateformat, formats, timezone, translation

register = template.Library()

DANISH_MONTHS = {
    1: "jan.",
    2: "feb.",
    3: "mar.",
    4: "apr.",
    5: "maj",
    6: "jun.",
    7: "jul.",
    8: "aug.",
    9: "sep.",
    10: "okt.",
    11: "nov.",
    12: "dec.",
}


def _weekday(value) -> str:
    """Danish writes weekdays in lower case; Django's Danish catalogue capitalises them."""
    name = dateformat.format(value, "l")
    return name.lower() if _is_danish() else name


def _is_danish() -> bool:
    return (translation.get_language() or "da").startswith("da")


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def short_date(value) -> str:
    if not isinstance(value, date):
        return ""
    value = _local(value)
    if _is_danish():
        return f"{value.day}. {DANISH_MONTHS[value.month]} {value.year}"
    return dateformat.format(value, "j M Y")


@register.filter
def short_datetime(value) -> str:
    if not isinstance(value, datetime):
        return short_date(value)
    value = _local(value)
    return f"{short_date(value)} {value:%H:%M}"


@register.filter
def weekday_date(value) -> str:
    """ "mandag 29. marts", "Monday 29 March"."""
    value = _local(value)
    return f"{_weekday(value)} {formats.date_format(value, 'MONTH_DAY_FORMAT')}"


@register.filter
def weekday_datetime(value) -> str:
    """ "mandag 29. marts 2027 14:00", "Monday 29 March 2027 14:00"."""
    value = _local(value)
    return f"{_weekday(value)} {formats.date_format(value, 'DATETIME_FORMAT')}"
