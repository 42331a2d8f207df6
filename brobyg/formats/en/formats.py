"""English date formats as written in Britain and Europe ("6 December 2026"), not Django's
American default ("Dec. 6, 2026"): Brobyg's English readers are in Denmark."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
