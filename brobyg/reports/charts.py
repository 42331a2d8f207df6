"""The report's charts, drawn with the one chart toolkit (``lib/charts.py``, hand-written SVG)
from a report table, for the page and the PDF alike. Suppressed cells are left out of a chart
(the table beside it says "< 5")."""

from django.utils.html import escape
from django.utils.translation import gettext as _

from brobyg.lib.charts import (
    COLOURS,
    INK,
    Canvas,
    Scale,
    marker,
    nice_ticks,
    polylines,
    px,
    tick_label,
    wrap,
)
from brobyg.reports.tables import DASH, number

WIDTH = 700
RIGHT = 24
ZERO = "#444444"
GRID = "#dddddd"
CHAR = 6.6  # about how wide a character of 12 units is


def draw(kind: str, table, **params) -> dict | None:
    """The chart ``kind`` ("change", "grouped" or "trend") of a table, remembering how it was
    drawn (``kind`` and ``params``, plain values), so that a stored report (``snapshots.py``)
    keeps its numbers, not markup, and draws its charts again when shown."""
    chart = DRAW[kind](table, **params)
    if chart is not None:
        chart.update(kind=kind, params=params)
    return chart


def _value(cell):
    return None if cell is None or cell.suppressed or cell.value is None else cell.value


def _label_column(labels: list[str]) -> tuple[float, int]:
    """The width of the labels' column left of the bars and the characters per label line."""
    longest = max((len(label) for label in labels), default=0)
    left = min(250.0, max(60.0, CHAR * longest + 18))
    return left, max(8, int((left - 18) / CHAR))


def _labels(canvas: Canvas, labels: list[str], centres: list[float], left: float, chars: int):
    for label, centre in zip(labels, centres, strict=True):
        lines = wrap(label, chars)
        first = centre + 4 - 7 * (len(lines) - 1)
        for number_of_line, text in enumerate(lines):
            canvas.text(left - 8, first + 14 * number_of_line, text, anchor="end", fill=INK)


def _value_axis(canvas: Canvas, scale: Scale, ticks, *, top: float, bottom: float, title: str):
    """Vertical grid lines at the ticks, their labels under the plot, the axis's title, and
    the line at zero."""
    for tick in ticks:
        canvas.line(scale(tick), top, scale(tick), bottom, stroke=GRID)
        canvas.text(scale(tick), bottom + 16, tick_label(tick), anchor="middle")
    canvas.line(scale.start, bottom, scale.end, bottom)
    canvas.text((scale.start + scale.end) / 2, bottom + 36, title, anchor="middle", fill=INK)
    canvas.line(scale(0), top, scale(0), bottom, stroke=ZERO, width=0.8)


def change_chart(table, *, title: str) -> dict | None:
    """Horizontal bars of the mean change per scale, with 95 % intervals."""
    labels, values, errors = [], [], []
    for row in table.rows:
        value = _value(row.get("change"))
        if value is None:
            continue
        ci = _value(row.get("ci"))
        labels.append(row["label"].display)
        values.append(value)
        errors.append(ci if isinstance(ci, tuple) else (value, value))
    if not values:
        return None
    left, chars = _label_column(labels)
    row_height, top = 34, 10
    bottom = top + row_height * len(values)
    canvas = Canvas(WIDTH, int(bottom + 50))
    ticks = nice_ticks(min(0, *(low for low, _high in errors)), max(0, *(h for _l, h in errors)))
    scale = Scale(ticks[0], ticks[-1], left, WIDTH - RIGHT)
    _value_axis(
        canvas,
        scale,
        ticks,
        top=top,
        bottom=bottom,
        title=_("Mean change, confidence interval 95 %"),
    )
    centres = [top + row_height * (index + 0.5) for index in range(len(values))]
    for label, value, (low, high), centre in zip(labels, values, errors, centres, strict=True):
        start, end = sorted((scale(0), scale(value)))
        tooltip = f"{label}: {number(value)} ({number(low)} {DASH} {number(high)})"
        canvas.add(
            f'<rect x="{px(start)}" y="{px(centre - 10)}" width="{px(max(end - start, 0.5))}" '
            f'height="20" fill="{COLOURS[0]}"><title>{escape(tooltip)}</title></rect>'
        )
        if high > low:
            canvas.line(scale(low), centre, scale(high), centre, stroke=INK, width=1.5)
            for limit in (low, high):
                canvas.line(scale(limit), centre - 5, scale(limit), centre + 5, stroke=INK)
    _labels(canvas, labels, centres, left, chars)
    desc = "; ".join(
        f"{label}: {number(value)}" for label, value in zip(labels, values, strict=True)
    )
    return canvas.chart(title=title, desc=desc)


def grouped_change_chart(table, kinds, *, title: str) -> dict | None:
    """Bars of the mean change per scale for each kind of peer support side by side."""
    labels = [row["label"].display for row in table.rows]
    series = []
    for kind, label in kinds:
        values = [_value(row.get(f"{kind}_change")) for row in table.rows]
        series.append((label, values))
    shown = [value for _label, values in series for value in values if value is not None]
    if not shown:
        return None
    left, chars = _label_column(labels)
    bar, top = 16, 10
    group = bar * len(series) + 18
    bottom = top + group * len(labels)
    canvas = Canvas(WIDTH, int(bottom + 78))
    ticks = nice_ticks(min(0, *shown), max(0, *shown))
    scale = Scale(ticks[0], ticks[-1], left, WIDTH - RIGHT)
    _value_axis(canvas, scale, ticks, top=top, bottom=bottom, title=_("Mean change"))
    centres = [top + group * (index + 0.5) for index in range(len(labels))]
    parts = []
    fills = [canvas.bar_fill(index) for index in range(len(series))]
    for index, (label, values) in enumerate(series):
        for row_label, value, centre in zip(labels, values, centres, strict=True):
            if value is None:
                continue
            y = centre - bar * len(series) / 2 + bar * index
            start, end = sorted((scale(0), scale(value)))
            tooltip = f"{label}, {row_label}: {number(value)}"
            canvas.add(
                f'<rect x="{px(start)}" y="{px(y)}" width="{px(max(end - start, 0.5))}" '
                f'height="{bar}" fill="{fills[index]}" stroke="#ffffff" stroke-width="1">'
                f"<title>{escape(tooltip)}</title></rect>"
            )
        parts.append(
            f"{label}: "
            + ", ".join(
                f"{row_label} {number(value) if value is not None else _('not shown')}"
                for row_label, value in zip(labels, values, strict=True)
            )
        )
    _labels(canvas, labels, centres, left, chars)
    # The key, under the axis: each kind's swatch (its colour and pattern) and name.
    x, y = left, bottom + 56
    for index, (label, _values) in enumerate(series):
        canvas.add(
            f'<rect x="{px(x)}" y="{px(y)}" width="18" height="14" fill="{fills[index]}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
        )
        canvas.text(x + 24, y + 11, label, fill=INK)
        x += 24 + CHAR * len(label) + 24
    return canvas.chart(title=title, desc="; ".join(parts))


def trend_chart(table, *, title: str, low: float, high: float) -> dict | None:
    """A line of the mean total over time; suppressed points are gaps."""
    labels = [row["label"].display for row in table.rows]
    values = [_value(row.get("mean")) for row in table.rows]
    if sum(value is not None for value in values) < 1:
        return None
    left, top, plot_bottom = 62, 12, 200
    longest = max(len(label) for label in labels)
    canvas = Canvas(WIDTH, int(plot_bottom + min(110, 26 + 3.4 * longest)))
    y_of = Scale(low, high, plot_bottom, top)
    for tick in nice_ticks(low, high):
        if low - 1e-9 <= tick <= high + 1e-9:
            canvas.line(left, y_of(tick), WIDTH - RIGHT, y_of(tick), stroke=GRID)
            canvas.text(left - 6, y_of(tick) + 4, tick_label(tick), anchor="end")
    canvas.line(left, top, left, plot_bottom)
    canvas.line(left, plot_bottom, WIDTH - RIGHT, plot_bottom)
    middle = (top + plot_bottom) / 2
    canvas.text(16, middle, _("Mean total"), anchor="middle", fill=INK, rotate=-90)
    step_width = (WIDTH - RIGHT - left - 20) / max(1, len(labels) - 1)

    def x_of(position: int) -> float:
        if len(labels) == 1:
            return (left + WIDTH - RIGHT) / 2
        return left + 10 + step_width * position

    step = max(1, len(labels) // 8)
    for position in range(0, len(labels), step):
        x, y = x_of(position), plot_bottom + 14
        canvas.line(x, plot_bottom, x, plot_bottom + 4)
        canvas.text(x, y, labels[position], anchor="end", rotate=-30)
    points = [
        None if value is None else (x_of(position), y_of(value))
        for position, value in enumerate(values)
    ]
    for markup in polylines(points, stroke=COLOURS[0], stroke_width="2"):
        canvas.add(markup)
    for label, value, point in zip(labels, values, points, strict=True):
        if point is not None:
            canvas.add(marker("circle", *point, COLOURS[0], f"{label}: {number(value)}", 4))
    desc = "; ".join(
        f"{label}: {number(value) if value is not None else _('not shown')}"
        for label, value in zip(labels, values, strict=True)
    )
    return canvas.chart(title=title, desc=desc)


DRAW = {"change": change_chart, "grouped": grouped_change_chart, "trend": trend_chart}
