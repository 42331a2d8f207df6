"""The one chart toolkit: SVG charts drawn by matplotlib (Agg backend), for the pages and the PDF.

The SVG is our own markup, generated from numbers, never from user input; the only texts in it
are our labels, escaped by matplotlib. Each chart gets ``role="img"``, a ``<title>`` and a
``<desc>`` for screen readers, and the page shows the same figures as a table beside it. The
page's Content-Security-Policy allows no inline styles, so matplotlib's ``style`` attributes
become SVG presentation attributes; element ids carry the chart's id, so a page with many
charts keeps them unique. Text stays text (``svg.fonttype: none``) so the page's and the PDF's
fonts are used. Lines differ by colour, dash pattern and marker, bars by colour and hatching, so
they can be told apart without colour too.

``figure``, ``local_ticks`` and ``svg_of`` are the pieces (the report's charts in
``reports/charts.py`` use them); ``line_chart`` draws values over days (the outcomes' charts).
"""

import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from itertools import count

os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "brobyg-matplotlib"))

import matplotlib

matplotlib.use("Agg")
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

# Colours keep at least 3:1 contrast on white (WCAG non-text contrast).
COLOURS = ["#155e63", "#a1260d", "#5b3f99", "#8a5a00", "#2b6a2f", "#1f4e99"]
HATCHES = ["", "//", "..", "xx"]
DASHES = ["", "6 4", "2 3", "10 3 2 3", "1 4", "8 6"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square"]
_MATPLOTLIB_MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^"}
MINUS = "\u2212"
_ids = count(1)


def figure(height: float, width: float = 7.0, *, margins: dict | None = None) -> Figure:
    """An empty figure, ``width`` by ``height`` inches, laid out to fit its labels, or with
    fixed ``margins`` (``subplots_adjust``'s fractions: three times faster to draw)."""
    new = Figure(figsize=(width, height), dpi=100)
    if margins:
        new.subplots_adjust(**margins)
    else:
        new.set_layout_engine("constrained")
    return new


def number(value: float, decimals: int = 2) -> str:
    """A number in the page's language: decimal comma in Danish, a true minus sign."""
    text = formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)
    return text.replace("-", MINUS)


def local_ticks(axis) -> None:
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
    """``style="fill: #fff; stroke: #000"`` as ``fill="#fff" stroke="#000"``."""
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


def _titled_markers(svg: str, gid: str, texts: list[str]) -> str:
    """The markers of line ``gid`` (its ``<use>`` elements, in the order of its points) each
    with a ``<title>``."""
    position = svg.find(f'<g id="{gid}">')
    if position < 0:
        return svg
    for text in texts:
        start = svg.find("<use ", position)
        end = svg.find("/>", start)
        if start < 0 or end < 0:
            break
        titled = f"><title>{escape(text)}</title></use>"
        svg = svg[:end] + titled + svg[end + 2 :]
        position = end + len(titled)
    return svg


def svg_of(
    chart: Figure,
    *,
    title: str,
    desc: str,
    css_class: str = "report-chart-svg",
    tooltips: dict[str, list[str]] | None = None,
) -> dict:
    """The figure as ``{"svg": SafeString, "id": ...}``. ``tooltips`` maps a line's ``gid`` to
    the texts a pointer shows over its markers, one per marker drawn (an SVG ``<title>``)."""
    chart_id = f"chart-{next(_ids)}"
    buffer = io.StringIO()
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": chart_id, "svg.id": chart_id}
    ):
        chart.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = _without_inline_styles(svg[svg.index("<svg") :])
    for gid, texts in (tooltips or {}).items():
        svg = _titled_markers(svg, gid, texts)
    svg = _own_ids(svg, chart_id)
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', 'width="100%"', svg, count=1)
    accessible = f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" ' + (
        f'class="{css_class}"'
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


@dataclass(frozen=True)
class Line:
    label: str
    points: list[tuple[date, float | None]]


def _format_number(value: float) -> str:
    return f"{value:g}"


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
                    "value": _format_number(first),
                    "day": date_format(first_day, "DATE_FORMAT"),
                }
            )
        else:
            sentences.append(
                _("%(label)s: from %(first)s on %(first_day)s to %(last)s on %(last_day)s.")
                % {
                    "label": line.label,
                    "first": _format_number(first),
                    "first_day": date_format(first_day, "DATE_FORMAT"),
                    "last": _format_number(last),
                    "last_day": date_format(last_day, "DATE_FORMAT"),
                }
            )
    return " ".join(sentences) or _("No scores yet.")


def line_chart(lines: list[Line], *, low: float, high: float, title: str) -> dict:
    """Values over days as ``{"svg": SafeString, "legend": [...], "id": ...}``: the legend
    gives each line's label, colour, dash pattern and marker for the HTML around the SVG. A
    missing value (None) breaks a line; each point's marker names its value on hover."""
    days = sorted({day for line in lines for day, value in line.points if value is not None})
    first = days[0] if days else timezone.localdate()

    def x_of(day: date) -> int:
        return (day - first).days

    chart = figure(3.0, 6.4, margins={"left": 0.07, "right": 0.95, "top": 0.96, "bottom": 0.13})
    axes = chart.add_subplot()
    legend, tooltips = [], {}
    for index, line in enumerate(lines):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        legend.append({"label": line.label, "colour": colour, "dash": dash, "marker": marker})
        style = (0, tuple(float(part) for part in dash.split())) if dash else "solid"
        gid = f"line-{index}"
        axes.plot(
            [x_of(day) for day, _value in line.points],
            [float("nan") if value is None else value for _day, value in line.points],
            color=colour,
            linestyle=style,
            linewidth=2,
            marker=_MATPLOTLIB_MARKERS[marker],
            markersize=6,
            gid=gid,
        )
        tooltips[gid] = [
            f"{line.label}, {date_format(day, 'DATE_FORMAT')}: {_format_number(value)}"
            for day, value in line.points
            if value is not None
        ]
    axes.set_ylim(low, high)
    axes.yaxis.set_major_locator(FixedLocator(_value_ticks(low, high)))
    local_ticks(axes.yaxis)
    shown = days if len(days) <= 6 else days[:: max(1, len(days) // 5)]
    axes.set_xticks(
        [x_of(day) for day in shown], [date_format(day, "j. M y") for day in shown], fontsize=9
    )
    if len(days) < 2:
        axes.set_xlim(-1, 1)
    else:
        margin = max(1, x_of(days[-1]) // 40)
        axes.set_xlim(-margin, x_of(days[-1]) + margin)
    axes.grid(axis="y", color="#c5cdd3")
    axes.spines[["top", "right"]].set_visible(False)
    made = svg_of(
        chart, title=title, desc=describe_lines(lines), css_class="chart", tooltips=tooltips
    )
    return {**made, "legend": legend}
