"""Danish date formats (Django's own, kept here beside the English ones Brobyg changes)."""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y H:i"
MONTH_DAY_FORMAT = "j. F"
YEAR_MONTH_FORMAT = "F Y"
