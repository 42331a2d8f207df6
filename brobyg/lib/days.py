"""Local calendar days as moments: product rules count days in Copenhagen time."""

from datetime import date, datetime, time, timedelta

from django.db.models import DateField, DateTimeField, Func
from django.db.models.functions import Cast
from django.utils import timezone


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.max))


def month_bounds(month: date) -> tuple[date, date]:
    """The first day of ``month``'s month and the first day of the month after."""
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def month_moments(month: date) -> tuple[datetime, datetime]:
    """The first moment of ``month``'s month and of the month after, in the current time zone
    (for ``created_at__gte=start, created_at__lt=end``)."""
    first, following = month_bounds(month)
    return start_of_day(first), start_of_day(following)


class WeeksBefore(Func):
    """In the database: the day ``weeks`` (a whole number) weeks before ``day`` (a date)."""

    arity = 2
    output_field = DateField()

    # (a template, the joiner between the day and the weeks) per database
    templates = {
        "postgresql": ("(CAST(%(expressions)s) * 7)", " AS date) - ("),
        "sqlite": ("date(%(expressions)s * 7) || ' days')", ", '-' || ("),
    }

    def as_sql(self, compiler, connection, **extra):
        template, joiner = self.templates[connection.vendor]
        return super().as_sql(compiler, connection, template=template, arg_joiner=joiner, **extra)


class MidnightUTC(Func):
    """In the database: a date as the moment of its midnight in UTC, the value of
    ``Cast(day, DateTimeField())`` on a connection in UTC (Django's with ``USE_TZ``). On
    PostgreSQL it is written ``day::timestamp AT TIME ZONE 'UTC'``, which depends on no setting
    of the session (a cast of a date to ``timestamptz`` reads ``TimeZone``), so an index may hold
    it; other databases cast."""

    arity = 1
    output_field = DateTimeField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="((%(expressions)s)::timestamp AT TIME ZONE 'UTC')",
            **extra,
        )

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(Cast(self.source_expressions[0], DateTimeField()))
