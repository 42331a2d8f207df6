"""The report as tables of cells: one model for the page, the PDF, CSV and XLSX.

A cell holds its raw value (for CSV/XLSX), how to show it, and whether it is suppressed. The
small-cell rule, where the report is suppressed (always for evaluators and in every file that
can leave the organisation): a count of 1 to 4 people is shown as "< 5"; a figure computed from
fewer than 5 people, and a part hidden so that a small one cannot be worked out from the total,
is shown as "hidden".
"""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

SMALL = 5
THIN = "\u202f"  # narrow no-break space: "12 %", "1 234"
MINUS = "\u2212"
DASH = "\u2013"


def small(n: int | None) -> bool:
    return n is not None and 0 < n < SMALL


def number(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    text = formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)
    return text.replace("-", MINUS)


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
    value: object = None  # raw: int, float, str or None
    text: str = ""
    suppressed: bool = False
    note: str = ""  # why empty ("not computable: ...")
    small_count: bool = False  # suppressed because it is a count of 1 to 4

    @property
    def display(self) -> str:
        if self.suppressed:
            return f"<{THIN}{SMALL}" if self.small_count else _("hidden")
        return self.text or self.note

    @property
    def export_value(self):
        if self.suppressed:
            return f"<{SMALL}" if self.small_count else _("hidden")
        if isinstance(self.value, tuple):  # an interval
            return " - ".join(f"{value:.4f}" for value in self.value)
        if isinstance(self.value, float):
            return round(self.value, 6)
        return self.value if self.value is not None else ""


def suppressed_cell() -> Cell:
    """A count of 1 to 4 people."""
    return Cell(suppressed=True, small_count=True)


def hidden_cell() -> Cell:
    """A figure from fewer than 5 people, or a part that would give a small one away."""
    return Cell(suppressed=True)


def n_cell(n: int | None, *, suppress: bool) -> Cell:
    if suppress and small(n):
        return suppressed_cell()
    return Cell(n, count(n))


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

    def header(self) -> list[str]:
        return [_("Figure"), *[label for _key, label in self.columns]]

    def matrix(self) -> list[list]:
        """Rows of export values, the row label first."""
        return [
            [row["label"].export_value]
            + [row.get(key, Cell()).export_value for key, _label in self.columns]
            for row in self.rows
        ]

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
    tables: list[Table] = field(default_factory=list)
