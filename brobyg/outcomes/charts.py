"""Charts of scores over time as server-rendered SVG: no JavaScript, no inline styles.

The page shows the same figures as a table next to the chart, so the SVG carries only a short
title and description for screen readers. Lines differ by colour and by dash pattern and
marker, so they can be told apart without colour too.
"""

from dataclasses import dataclass
from datetime import date
from itertools import count

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from brobyg.outcomes.definitions import TOTAL
from brobyg.outcomes.schedules import timepoint_label

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 48
# Colours keep at least 3:1 contrast on white (WCAG non-text contrast).
COLOURS = ["#155e63", "#a1260d", "#5b3f99", "#8a5a00", "#2b6a2f", "#1f4e99"]
DASHES = ["", "6 4", "2 3", "10 3 2 3", "1 4", "8 6"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square"]
_ids = count(1)


@dataclass(frozen=True)
class Line:
    label: str
    points: list[tuple[date, float | None]]


def _format_number(value: float) -> str:
    return f"{value:g}"


def _marker(kind: str, x: float, y: float, colour: str, tooltip: str) -> str:
    title = f"<title>{escape(tooltip)}</title>"
    if kind == "square":
        shape = (
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
            f"{title}</rect>"
        )
    elif kind == "diamond":
        shape = (
            f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}'
            f'L{x - 5:.1f} {y:.1f}Z" fill="{colour}">{title}</path>'
        )
    elif kind == "triangle":
        shape = (
            f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" '
            f'fill="{colour}">{title}</path>'
        )
    else:
        shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">{title}</circle>'
    return shape


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    step = next(
        (step for step in (0.5, 1, 2, 5, 10, 20, 25, 50) if span / step <= 6), span / 4 or 1
    )
    ticks, value = [], low
    while value <= high + 1e-9:
        ticks.append(round(value, 2))
        value += step
    return ticks


def line_chart(lines: list[Line], *, low: float, high: float, title: str) -> dict:
    """The chart as ``{"svg": SafeString, "legend": [...], "id": ...}``; the legend gives each
    line's label, colour, dash pattern and marker for the HTML around the SVG."""
    chart_id = f"chart-{next(_ids)}"
    days = sorted({day for line in lines for day, value in line.points if value is not None})
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        if len(days) < 2:
            return LEFT + plot_width / 2
        return LEFT + plot_width * (day - days[0]).days / max(1, (days[-1] - days[0]).days)

    def y_of(value: float) -> float:
        return TOP + plot_height * (1 - (value - low) / ((high - low) or 1))

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_describe(lines))}</desc>',
    ]
    for tick in _ticks(low, high):
        y = y_of(tick)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#c5cdd3" stroke-width="1"/>'
            f'<text class="chart-axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#4a5560">{_format_number(tick)}</text>'
        )
    shown = days if len(days) <= 6 else days[:: max(1, len(days) // 5)]
    for day in shown:
        # The outermost labels align with the plot's edges, so that they are never cut off.
        anchor = "middle"
        if len(days) > 1 and day == days[0]:
            anchor = "start"
        elif len(days) > 1 and day == days[-1]:
            anchor = "end"
        parts.append(
            f'<text class="chart-axis" x="{x_of(day):.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="{anchor}" font-size="12" fill="#4a5560">'
            f"{escape(date_format(day, 'j. M y'))}</text>"
        )
    legend = []
    for index, line in enumerate(lines):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        legend.append({"label": line.label, "colour": colour, "dash": dash, "marker": marker})
        segments, segment = [], []
        for day, value in line.points:
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append((x_of(day), y_of(value)))
        if segment:
            segments.append(segment)
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        for points in segments:
            if len(points) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attribute}/>'
                )
        for day, value in line.points:
            if value is not None:
                when = date_format(day, "DATE_FORMAT")
                tooltip = f"{line.label}, {when}: {_format_number(value)}"
                parts.append(_marker(marker, x_of(day), y_of(value), colour, tooltip))
    parts.append("</svg>")
    return {"id": chart_id, "svg": mark_safe("".join(parts)), "legend": legend}  # noqa: S308


def _describe(lines: list[Line]) -> str:
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


def score_charts(groups: list[dict]) -> list[dict]:
    """A chart and a table per instrument, from ``selectors.series_by_instrument``: the total,
    and the domains too where they share the total's range (mean scoring)."""
    charts = []
    for group in groups:
        spec, texts = group["instrument"].spec, group["texts"]
        scales = group["scales"] if spec.scoring.method == "mean" else [TOTAL]
        labels = {TOTAL: _("Total")}
        labels.update({code: texts.pick(names, None) for code, names in spec.domains.items()})
        lines = [
            Line(
                label=labels.get(scale, scale),
                points=[
                    (
                        row["response"].answered_on,
                        getattr(row["scores"].get(scale), "value", None),
                    )
                    for row in group["responses"]
                ],
            )
            for scale in scales
        ]
        low, high = spec.scoring.range
        title = texts.title_in()
        charts.append(
            {
                "instrument": group["instrument"],
                "title": title,
                "validated": spec.validated,
                "meaningful_change": spec.meaningful_change,
                "chart": line_chart(lines, low=low, high=high, title=title),
                "columns": [labels.get(scale, scale) for scale in group["scales"]],
                "rows": [
                    {
                        "response": row["response"],
                        "when": timepoint_label(row["response"].timepoint),
                        "values": [
                            getattr(row["scores"].get(scale), "value", None)
                            for scale in group["scales"]
                        ],
                    }
                    for row in group["responses"]
                ],
            }
        )
    return charts


def citizen_charts(citizen) -> list[dict]:
    """A citizen's scores over time, one chart per questionnaire, for ``outcomes/_chart.html``
    (the citizen's outcomes page, their questionnaire link, and later the course page)."""
    from brobyg.outcomes import selectors

    responses = selectors.completed_responses_of_citizen(citizen)
    return score_charts(selectors.series_by_instrument(responses, citizen.organisation))
