"""The one chart toolkit: hand-written SVG charts for the pages and the PDF.

The SVG is written here from numbers; the only texts in it are our labels, each escaped with
Django's ``escape`` (nothing in a chart is marked safe before it is escaped). Each chart gets
``role="img"``, a ``<title>`` and a ``<desc>`` for screen readers, and the page shows the same
figures as a table beside it. The page's Content-Security-Policy allows no inline styles, so
the markup uses SVG presentation attributes only (and CSS classes from ``static/``); element
ids (the title, the description, the bars' patterns) carry the chart's id, so a page with many
charts keeps them unique and every reference stays inside its chart. Text stays text, so the
page's and the PDF's fonts are used. Numbers are in the page's language (a decimal comma in
Danish, a true minus sign), dates are local. Lines differ by colour, dash pattern and marker,
bars by colour and pattern, so they can be told apart without colour too; a pointer over a
point or a bar shows its value (an SVG ``<title>``). WeasyPrint draws the same SVG in the PDF.

``Canvas`` and ``Scale`` are the pieces (the report's charts in ``reports/charts.py`` use them
with ``bar_fill``, ``marker`` and ``tick_label``); ``line_chart`` draws values over days (the
outcomes' charts). A chart takes about a millisecond to draw (``benchmarks/charts.py``).
"""

import math
from dataclasses import dataclass
from datetime import date
from itertools import count

from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Colours keep at least 3:1 contrast on white (WCAG non-text contrast).
COLOURS = ["#155e63", "#a1260d", "#5b3f99", "#8a5a00", "#2b6a2f", "#1f4e99"]
PATTERNS = ["solid", "stripes", "dots", "cross"]
DASHES = ["", "6 4", "2 3", "10 3 2 3", "1 4", "8 6"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square"]
MINUS = "\u2212"
INK = "#222222"
AXIS = "#4a5560"
GRID = "#c5cdd3"
# The PDF draws an SVG on its own, without the page's fonts; the page's CSS sets its font.
FONT = "DejaVu Sans, Verdana, sans-serif"
_ids = count(1)


def number(value: float, decimals: int = 2) -> str:
    """A number in the page's language: decimal comma in Danish, a true minus sign."""
    text = formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)
    return text.replace("-", MINUS)


def tick_label(value: float) -> str:
    """A number with the decimals it needs (0, 1 or 2), without float noise (0.2 arrives as
    0.20000000000000004): "0", "0,2", "1,25", with a true minus sign."""
    decimals = next((places for places in (0, 1) if abs(round(value, places) - value) < 1e-9), 2)
    return number(value, decimals)


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values (steps of 1, 2, 2.5 or 5 times a power of ten) from at or below ``low`` to
    at or above ``high``, at most about ``most`` of them."""
    if high <= low:
        low, high = low - 1, high + 1
    raw = (high - low) / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(factor * power for factor in (1, 2, 2.5, 5, 10) if factor * power >= raw - 1e-12)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(index * step, 10) for index in range(first, last + 1)]


def px(value: float) -> str:
    """A coordinate: one decimal, no "-0.0"."""
    return f"{value:.1f}".replace("-0.0", "0.0")


@dataclass(frozen=True)
class Scale:
    """Maps values from ``low``..``high`` onto pixels ``start``..``end``."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = (self.high - self.low) or 1
        return self.start + (self.end - self.start) * (value - self.low) / span


class Canvas:
    """An SVG being written: ``width`` by ``height`` units, scaled to the width of its box."""

    def __init__(self, width: int, height: int, *, css_class: str = "report-chart-svg"):
        self.id = f"chart-{next(_ids)}"
        self.width, self.height, self.css_class = width, height, css_class
        self.defs: list[str] = []
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        size: int = 12,
        fill: str = AXIS,
        rotate: float = 0,
    ) -> None:
        turn = f' transform="rotate({px(rotate)} {px(x)} {px(y)})"' if rotate else ""
        self.parts.append(
            f'<text x="{px(x)}" y="{px(y)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}"{turn}>{escape(content)}</text>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, *, stroke: str = AXIS, width: float = 1
    ) -> None:
        self.parts.append(
            f'<line x1="{px(x1)}" y1="{px(y1)}" x2="{px(x2)}" y2="{px(y2)}" stroke="{stroke}" '
            f'stroke-width="{width}"/>'
        )

    def bar_fill(self, index: int) -> str:
        """The fill of the bars of series ``index``: its colour, and from the second series on
        a pattern in white over it (defined once per chart)."""
        colour = COLOURS[index % len(COLOURS)]
        pattern = PATTERNS[index % len(PATTERNS)]
        if pattern == "solid":
            return colour
        pattern_id = f"{self.id}-pattern-{index}"
        if not any(f'id="{pattern_id}"' in part for part in self.defs):
            if pattern == "dots":
                drawing = '<circle cx="3" cy="3" r="1.4" fill="#ffffff"/>'
                turn = ""
            else:
                drawing = '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/>'
                if pattern == "cross":
                    drawing += (
                        '<line x1="0" y1="3" x2="6" y2="3" stroke="#ffffff" stroke-width="1.5"/>'
                    )
                turn = ' patternTransform="rotate(45)"'
            self.defs.append(
                f'<pattern id="{pattern_id}" width="6" height="6" '
                f'patternUnits="userSpaceOnUse"{turn}><rect width="6" height="6" '
                f'fill="{colour}"/>{drawing}</pattern>'
            )
        return f"url(#{pattern_id})"

    def chart(self, *, title: str, desc: str) -> dict:
        """The finished chart as ``{"svg": SafeString, "id": ...}``."""
        chart_id = self.id
        head = (
            f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'class="{self.css_class}" width="100%" viewBox="0 0 {self.width} {self.height}" '
            f'font-family="{FONT}" xmlns="http://www.w3.org/2000/svg" version="1.1">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        )
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        svg = head + defs + "".join(self.parts) + "</svg>"
        # Every text above went through escape(); the rest is numbers and our own constants.
        return {"svg": mark_safe(svg), "id": chart_id}  # noqa: S308


def marker(kind: str, x: float, y: float, colour: str, tooltip: str, size: float = 4.5) -> str:
    """A point's marker with its value for a pointer (``<title>``)."""
    title = f"<title>{escape(tooltip)}</title>"
    if kind == "square":
        side = size * 1.8
        return (
            f'<rect x="{px(x - side / 2)}" y="{px(y - side / 2)}" width="{px(side)}" '
            f'height="{px(side)}" fill="{colour}">{title}</rect>'
        )
    if kind == "diamond":
        r = size * 1.15
        return (
            f'<path d="M{px(x)} {px(y - r)}L{px(x + r)} {px(y)}'
            f'L{px(x)} {px(y + r)}L{px(x - r)} {px(y)}Z" '
            f'fill="{colour}">{title}</path>'
        )
    if kind == "triangle":
        r = size * 1.15
        return (
            f'<path d="M{px(x)} {px(y - r)}L{px(x + r)} {px(y + r * 0.8)}'
            f'L{px(x - r)} {px(y + r * 0.8)}Z" '
            f'fill="{colour}">{title}</path>'
        )
    return f'<circle cx="{px(x)}" cy="{px(y)}" r="{px(size)}" fill="{colour}">{title}</circle>'


def polylines(points: list[tuple[float, float] | None], **attributes: str) -> list[str]:
    """The segments of a line between its gaps (None), as ``<polyline>`` elements."""
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    lines, segment = [], []
    for point in [*points, None]:
        if point is not None:
            segment.append(point)
            continue
        if len(segment) > 1:
            path = " ".join(f"{px(x)},{px(y)}" for x, y in segment)
            lines.append(f'<polyline points="{path}" fill="none"{extra}/>')
        segment = []
    return lines


def wrap(text: str, width: int) -> list[str]:
    """A label in lines of at most about ``width`` characters, broken at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Line:
    label: str
    points: list[tuple[date, float | None]]


def short_number(value: float) -> str:
    """A score with the decimals it needs, in the page's language: "2", "2,5", "2,25"."""
    return tick_label(round(value, 2))


def _value_ticks(low: float, high: float) -> list[float]:
    span = high - low
    step = next(
        (step for step in (0.5, 1, 2, 5, 10, 20, 25, 50) if span / step <= 6), span / 4 or 1
    )
    ticks, value = [], low
    while value <= high + 1e-9:
        ticks.append(round(value, 2))
        value += step
    return ticks


def describe_lines(lines: list[Line]) -> str:
    """First and last value of each line, in words."""
    sentences = []
    for line in lines:
        values = [(day, value) for day, value in line.points if value is not None]
        if not values:
            continue
        (first_day, first), (last_day, last) = values[0], values[-1]
        if len(values) == 1:
            sentences.append(
                _("%(label)s: %(value)s on %(day)s.")
                % {
                    "label": line.label,
                    "value": short_number(first),
                    "day": date_format(first_day, "DATE_FORMAT"),
                }
            )
        else:
            sentences.append(
                _("%(label)s: from %(first)s on %(first_day)s to %(last)s on %(last_day)s.")
                % {
                    "label": line.label,
                    "first": short_number(first),
                    "first_day": date_format(first_day, "DATE_FORMAT"),
                    "last": short_number(last),
                    "last_day": date_format(last_day, "DATE_FORMAT"),
                }
            )
    return " ".join(sentences) or _("No scores yet.")


WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 48


def line_chart(lines: list[Line], *, low: float, high: float, title: str) -> dict:
    """Values over days as ``{"svg": SafeString, "legend": [...], "id": ...}``: the legend
    gives each line's label, colour, dash pattern and marker for the HTML around the SVG. A
    missing value (None) breaks a line; each point's marker names its value on hover."""
    days = sorted({day for line in lines for day, value in line.points if value is not None})
    first = days[0] if days else timezone.localdate()
    span = max(1, (days[-1] - first).days) if days else 1
    canvas = Canvas(WIDTH, HEIGHT, css_class="chart")

    def x_of(day: date) -> float:
        if len(days) < 2:
            return LEFT + (WIDTH - LEFT - RIGHT) / 2
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span

    y_of = Scale(low, high, HEIGHT - BOTTOM, TOP)
    for tick in _value_ticks(low, high):
        y = y_of(tick)
        canvas.line(LEFT, y, WIDTH - RIGHT, y, stroke=GRID)
        canvas.text(LEFT - 6, y + 4, tick_label(tick), anchor="end")
    shown = days if len(days) <= 6 else days[:: max(1, len(days) // 5)]
    for day in shown:
        # The outermost labels align with the plot's edges, so that they are never cut off.
        anchor = "middle"
        if len(days) > 1 and day == days[0]:
            anchor = "start"
        elif len(days) > 1 and day == days[-1]:
            anchor = "end"
        canvas.text(x_of(day), HEIGHT - BOTTOM + 18, date_format(day, "j. M y"), anchor=anchor)
    # Formatting a date or a number in the page's language is the slow part: once each.
    named = {day: date_format(day, "DATE_FORMAT") for day in days}
    numbers: dict[float, str] = {}
    legend = []
    for index, line in enumerate(lines):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        kind = MARKERS[index % len(MARKERS)]
        legend.append({"label": line.label, "colour": colour, "dash": dash, "marker": kind})
        points = [None if value is None else (x_of(day), y_of(value)) for day, value in line.points]
        dashes = {"stroke_dasharray": dash} if dash else {}
        for markup in polylines(points, stroke=colour, stroke_width="2.5", **dashes):
            canvas.add(markup)
        for day, value in line.points:
            if value is not None:
                if value not in numbers:
                    numbers[value] = short_number(value)
                tooltip = f"{line.label}, {named[day]}: {numbers[value]}"
                canvas.add(marker(kind, x_of(day), y_of(value), colour, tooltip))
    made = canvas.chart(title=title, desc=describe_lines(lines))
    return {**made, "legend": legend}
