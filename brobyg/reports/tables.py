"""The report as tables of cells: one model for the page, the PDF, CSV and XLSX.

A cell holds its raw value (for CSV/XLSX), how to show it, and whether it is suppressed.

Disclosure control, where the report is suppressed (always for evaluators and in every file that
can leave the organisation):

- a count of 1 to 4 is shown as "< 5";
- a figure computed from fewer than 5 people (means, SDs, intervals, p-values, the
  reliable-change criterion) is shown as "hidden";
- complementary suppression: among parts that add up to a total shown beside them, hidden parts
  must together hold at least 5, else more parts are hidden (``cells.protect_parts``);
- against differencing (two selections, or two margins of one table, whose difference is a
  small group): every other count is rounded to the nearest multiple of ``ROUND_TO`` (5), and
  every share is computed from the rounded counts, so any sum or difference of shown counts is
  a multiple of 5, never 1 to 4, and the exact counts cannot be worked back.
"""

import math
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SMALL = 5
ROUND_TO = 5
THIN = "\u202f"  # narrow no-break space: "12 %", "1 234"
MINUS = "\u2212"
DASH = "\u2013"
EXPORT_DECIMALS = 6
EXPORT_SIGNIFICANT = 6


SUPPRESSION_TEXT = gettext_lazy(
    "Counts of 1 to 4 are shown as “< 5”; every other count is rounded to the nearest multiple "
    "of 5, and shares are computed from the rounded counts, so that comparing two tables or two "
    "reports cannot reveal a group of fewer than 5. What is computed from fewer than 5 people, "
    "and parts that would let a small one be worked out from their total, are shown as “hidden”."
)


def small(n: int | None) -> bool:
    return n is not None and 0 < n < SMALL


def shown_count(n: int | None, *, suppress: bool) -> int | None:
    """A count as shown: rounded to the nearest multiple of ``ROUND_TO`` where suppressed."""
    if n is None or not suppress:
        return n
    return ROUND_TO * round(n / ROUND_TO)  # n is whole, so n / 5 is never halfway


def shown_share(part: int | None, whole: int | None, *, suppress: bool) -> float | None:
    """A share as shown: from the counts as shown."""
    part, whole = shown_count(part, suppress=suppress), shown_count(whole, suppress=suppress)
    if part is None or not whole:
        return None
    return part / whole


def number(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    text = formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)
    return text.replace("-", MINUS)


def count_text(n: int | None) -> str:
    """A count in running text where suppressed: "<5" or rounded to a multiple of 5."""
    if small(n):
        return f"<{SMALL}"
    return count(shown_count(n, suppress=True))


def count(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value:,}".replace(",", THIN)


def percent(share: float | None) -> str:
    if share is None:
        return ""
    return f"{number(100 * share, 0)}{THIN}%"


def p_value(p: float | None) -> str:
    if p is None:
        return ""
    if p < 0.001:
        return f"<{THIN}{number(0.001, 3)}"
    return number(p, 3)


def interval(low: float | None, high: float | None, decimals: int = 2) -> str:
    if low is None or high is None:
        return ""
    return f"{number(low, decimals)} {DASH} {number(high, decimals)}"


@dataclass
class Cell:
    value: object = None  # raw: int, float, str, an interval (low, high) or None
    text: str = ""
    suppressed: bool = False
    note: str = ""  # why empty ("not computable: ...")
    small_count: bool = False  # suppressed because it is a count of 1 to 4
    interval: tuple | None = None  # the confidence interval of a point figure (Cohen's dz)
    number_format: str = ""  # for spreadsheets, e.g. "0%" for a share
    exact_count: int | None = None  # a count before rounding: for suppression, never shown

    @property
    def display(self) -> str:
        if self.suppressed:
            return f"<{THIN}{SMALL}" if self.small_count else _("hidden")
        return self.text or self.note

    @property
    def export_value(self):
        if self.suppressed:
            return f"<{SMALL}" if self.small_count else _("hidden")
        return _export_number(self.value)

    def export_values(self, shape: str) -> list:
        """The cell in files: one value, or with an interval its limits as numbers of their own
        (``shape``: "plain", "interval" for (low, high), "point" for value, low, high)."""
        if shape == "plain":
            return [self.export_value]
        if self.suppressed:
            return [self.export_value] * (2 if shape == "interval" else 3)
        limits = self.value if shape == "interval" else self.interval
        limits = [_export_number(limit) for limit in limits or (None, None)]
        return limits if shape == "interval" else [self.export_value, *limits]


def _export_number(value):
    """Numbers in files: at least ``EXPORT_DECIMALS`` decimals and at least
    ``EXPORT_SIGNIFICANT`` significant digits, so a p-value of 3e-9 is 3e-09, never 0."""
    if isinstance(value, float):
        if value == 0 or not math.isfinite(value):
            return value
        magnitude = math.floor(math.log10(abs(value)))
        return round(value, max(EXPORT_DECIMALS, EXPORT_SIGNIFICANT - 1 - magnitude))
    return value if value is not None else ""


def share_cell(share: float | None) -> Cell:
    return Cell(share, percent(share), number_format="0%")


def suppressed_cell(exact_count: int | None = None) -> Cell:
    """A count of 1 to 4 people."""
    return Cell(suppressed=True, small_count=True, exact_count=exact_count)


def hidden_cell() -> Cell:
    """A figure from fewer than 5 people, or a part that would give a small one away."""
    return Cell(suppressed=True)


def n_cell(n: int | None, *, suppress: bool) -> Cell:
    if suppress and small(n):
        return suppressed_cell(n)
    shown = shown_count(n, suppress=suppress)
    return Cell(shown, count(shown), exact_count=n)


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict] = field(default_factory=list)  # key -> Cell; "label" is the row header
    caption: str = ""
    chart: dict | None = None  # {"svg": SafeString} made by charts.py

    def add(self, label: str, **cells: Cell) -> None:
        self.rows.append({"label": Cell(label, label), **cells})

    def _shapes(self) -> list[str]:
        shapes = []
        for key, _label in self.columns:
            cells = [row[key] for row in self.rows if key in row]
            if any(isinstance(cell.value, tuple) for cell in cells):
                shapes.append("interval")
            elif any(cell.interval is not None for cell in cells):
                shapes.append("point")
            else:
                shapes.append("plain")
        return shapes

    def export_header(self) -> list[str]:
        """Column labels in files, where an interval's limits are columns of their own."""
        labels = [_("Figure")]
        for (_key, label), shape in zip(self.columns, self._shapes(), strict=True):
            if shape != "interval":
                labels.append(label)
            if shape != "plain":
                labels += [
                    _("%(column)s, lower limit") % {"column": label},
                    _("%(column)s, upper limit") % {"column": label},
                ]
        return labels

    def export_rows(self) -> list[list[tuple]]:
        """Rows of (export value, spreadsheet number format), the row label first, in the
        columns of ``export_header``."""
        shapes = self._shapes()
        rows = []
        for row in self.rows:
            values = [(row["label"].export_value, "")]
            for (key, _label), shape in zip(self.columns, shapes, strict=True):
                cell = row.get(key, Cell())
                number_format = "" if cell.suppressed else cell.number_format
                values += [(value, number_format) for value in cell.export_values(shape)]
            rows.append(values)
        return rows

    def matrix(self) -> list[list]:
        """Rows of export values, the row label first, in the columns of ``export_header``."""
        return [[value for value, _format in row] for row in self.export_rows()]

    def display_header(self) -> list[str]:
        """Column labels on the page and in the PDF, one per column of ``display_rows``."""
        return [_("Figure"), *[label for _key, label in self.columns]]

    def display_rows(self) -> list[list[str]]:
        return [
            [row["label"].display] + [row.get(key, Cell()).display for key, _label in self.columns]
            for row in self.rows
        ]


@dataclass
class Section:
    key: str
    title: str
    texts: list[str] = field(default_factory=list)  # definitions and notes, in order
    methods: list[str] = field(default_factory=list)  # "How the figures are made", in order
    tables: list[Table] = field(default_factory=list)
