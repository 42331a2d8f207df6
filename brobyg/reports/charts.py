"""Charts of the report as SVG made by matplotlib (Agg backend), from a report table.

The SVG is our own markup, generated from numbers, never from user input; the only texts in it
are our labels, escaped by matplotlib. Each chart gets ``role="img"``, a ``<title>`` and a
``<desc>`` for screen readers, and the page shows the same figures as a table right after it.
Suppressed cells are left out of the chart (the table says "< 5"). Text stays text
(``svg.fonttype: none``) so the page's and the PDF's fonts are used.
"""

import io
import os
import re
import tempfile
from itertools import count

os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "brobyg-matplotlib"))

import matplotlib

matplotlib.use("Agg")
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from brobyg.reports.tables import number

# Colours with at least 3:1 contrast on white; bars also differ by hatching.
COLOURS = ["#155e63", "#a1260d", "#5b3f99", "#8a5a00"]
HATCHES = ["", "//", "..", "xx"]
_ids = count(1)


def _figure(height: float) -> Figure:
    figure = Figure(figsize=(7.0, height), dpi=100)
    figure.set_layout_engine("constrained")
    return figure


def _local_ticks(axis) -> None:
    """Tick labels in the page's language: decimal comma in Danish, a true minus sign."""

    def label(value, _position):
        # Tick values carry float noise (0.2 arrives as 0.20000000000000004).
        decimals = next(
            (places for places in (0, 1) if abs(round(value, places) - value) < 1e-9), 2
        )
        return number(value, decimals)

    axis.set_major_formatter(FuncFormatter(label))


STYLE = re.compile(r'style="([^"]*)"')
# Properties matplotlib writes in style attributes that SVG also takes as attributes.
PRESENTATION = {
    "fill",
    "fill-opacity",
    "opacity",
    "stroke",
    "stroke-width",
    "stroke-linejoin",
    "stroke-linecap",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-miterlimit",
    "font-size",
    "font-family",
    "font-weight",
    "font-style",
    "text-anchor",
}


def _attributes(match) -> str:
    """``style="fill: #fff; stroke: #000"`` as ``fill="#fff" stroke="#000"``: the page's
    Content-Security-Policy allows no inline styles."""
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION and value:
            attributes.append(f'{name}="{escape(value.replace(chr(39), ""))}"')
    return " ".join(attributes)


def _without_inline_styles(svg: str) -> str:
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = svg.replace("<svg", '<svg stroke-linejoin="round" stroke-linecap="butt"', 1)
    return STYLE.sub(_attributes, svg)


def _own_ids(svg: str, chart_id: str) -> str:
    """matplotlib names elements "patch_3", "line2d_5" in every chart: prefix them (and the
    references to them) with the chart's id, so ids stay unique on a page with many charts."""
    svg = re.sub(r'\bid="(?!' + chart_id + r'\b)([^"]+)"', rf'id="{chart_id}-\1"', svg)
    return re.sub(r"(href=\"#|url\(#)(?!" + chart_id + r"\b)", rf"\g<1>{chart_id}-", svg)


def _svg(figure: Figure, *, title: str, desc: str) -> dict:
    chart_id = f"report-chart-{next(_ids)}"
    buffer = io.StringIO()
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": chart_id, "svg.id": chart_id}
    ):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = _without_inline_styles(svg[svg.index("<svg") :])
    svg = _own_ids(svg, chart_id)
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', 'width="100%"', svg, count=1)
    accessible = (
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="report-chart-svg"'
    )
    svg = svg.replace("<svg", accessible, 1)
    head_end = svg.index(">") + 1
    svg = (
        svg[:head_end]
        + f'<title id="{chart_id}-title">{escape(title)}</title>'
        + f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + svg[head_end:]
    )
    return {"svg": mark_safe(svg), "id": chart_id}  # noqa: S308 - our own generated markup


def _value(cell):
    return None if cell is None or cell.suppressed or cell.value is None else cell.value


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
    figure = _figure(0.5 + 0.45 * len(values))
    axes = figure.add_subplot()
    positions = list(range(len(values)))[::-1]
    lower = [value - low for value, (low, _high) in zip(values, errors, strict=True)]
    upper = [high - value for value, (_low, high) in zip(values, errors, strict=True)]
    axes.barh(positions, values, color=COLOURS[0], height=0.6)
    axes.errorbar(values, positions, xerr=[lower, upper], fmt="none", ecolor="#222222", capsize=3)
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.set_yticks(positions, labels)
    _local_ticks(axes.xaxis)
    axes.set_xlabel(_("Mean change, confidence interval 95 %"))
    axes.spines[["top", "right"]].set_visible(False)
    desc = "; ".join(
        f"{label}: {number(value)}" for label, value in zip(labels, values, strict=True)
    )
    return _svg(figure, title=title, desc=desc)


def grouped_change_chart(table, kinds, *, title: str) -> dict | None:
    """Bars of the mean change per scale for each kind of peer support side by side."""
    labels = [row["label"].display for row in table.rows]
    series = []
    for kind, label in kinds:
        values = [_value(row.get(f"{kind}_change")) for row in table.rows]
        series.append((label, values))
    if not any(value is not None for _label, values in series for value in values):
        return None
    figure = _figure(0.8 + 0.6 * len(labels))
    axes = figure.add_subplot()
    width = 0.8 / len(series)
    base = list(range(len(labels)))[::-1]
    parts = []
    for index, (label, values) in enumerate(series):
        positions = [position + (index - (len(series) - 1) / 2) * width for position in base]
        shown = [value if value is not None else 0 for value in values]
        axes.barh(
            positions,
            shown,
            height=width,
            color=COLOURS[index % len(COLOURS)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="white",
            label=label,
        )
        parts.append(
            f"{label}: "
            + ", ".join(
                f"{row_label} {number(value) if value is not None else _('not shown')}"
                for row_label, value in zip(labels, values, strict=True)
            )
        )
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.set_yticks(base, labels)
    _local_ticks(axes.xaxis)
    axes.set_xlabel(_("Mean change"))
    axes.legend(loc="lower right", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, title=title, desc="; ".join(parts))


def trend_chart(table, *, title: str, low: float, high: float) -> dict | None:
    """A line of the mean total over time; suppressed points are gaps."""
    labels = [row["label"].display for row in table.rows]
    values = [_value(row.get("mean")) for row in table.rows]
    if sum(value is not None for value in values) < 1:
        return None
    figure = _figure(2.8)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    axes.plot(
        positions,
        [value if value is not None else float("nan") for value in values],
        color=COLOURS[0],
        marker="o",
    )
    axes.set_ylim(low, high)
    step = max(1, len(labels) // 8)
    axes.set_xticks(positions[::step], labels[::step], rotation=30, ha="right")
    _local_ticks(axes.yaxis)
    axes.set_ylabel(_("Mean total"))
    axes.grid(axis="y", color="#dddddd")
    axes.spines[["top", "right"]].set_visible(False)
    desc = "; ".join(
        f"{label}: {number(value) if value is not None else _('not shown')}"
        for label, value in zip(labels, values, strict=True)
    )
    return _svg(figure, title=title, desc=desc)
