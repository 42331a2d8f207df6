from datetime import date

from django.utils import timezone

from brobyg.lib.days import month_bounds, month_moments, start_of_day


def test_it_bounds_a_month_by_its_first_day_and_the_next_months():
    assert month_bounds(date(2026, 12, 17)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert month_bounds(date(2028, 2, 29)) == (date(2028, 2, 1), date(2028, 3, 1))


def test_it_gives_a_months_moments_at_local_midnight_across_a_clock_change():
    start, end = month_moments(date(2026, 3, 10))
    assert start == start_of_day(date(2026, 3, 1))
    assert end == start_of_day(date(2026, 4, 1))
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    assert (local_start.hour, local_end.hour) == (0, 0)
    assert local_start.utcoffset() != local_end.utcoffset()
