"""The report's charts, drawn with the one chart toolkit (``lib/charts.py``, matplotlib) from a
report table, for the page and the PDF alike. Suppressed cells are left out of a chart (the
table beside it says "< 5")."""

from django.utils.translation import gettext as _

from brobyg.lib.charts import COLOURS, HATCHES, figure, local_ticks, svg_of
from brobyg.reports.tables import number


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
    chart = figure(0.5 + 0.45 * len(values))
    axes = chart.add_subplot()
    positions = list(range(len(values)))[::-1]
    lower = [value - low for value, (low, _high) in zip(values, errors, strict=True)]
    upper = [high - value for value, (_low, high) in zip(values, errors, strict=True)]
    axes.barh(positions, values, color=COLOURS[0], height=0.6)
    axes.errorbar(values, positions, xerr=[lower, upper], fmt="none", ecolor="#222222", capsize=3)
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.set_yticks(positions, labels)
    local_ticks(axes.xaxis)
    axes.set_xlabel(_("Mean change, confidence interval 95 %"))
    axes.spines[["top", "right"]].set_visible(False)
    desc = "; ".join(
        f"{label}: {number(value)}" for label, value in zip(labels, values, strict=True)
    )
    return svg_of(chart, title=title, desc=desc)


def grouped_change_chart(table, kinds, *, title: str) -> dict | None:
    """Bars of the mean change per scale for each kind of peer support side by side."""
    labels = [row["label"].display for row in table.rows]
    series = []
    for kind, label in kinds:
        values = [_value(row.get(f"{kind}_change")) for row in table.rows]
        series.append((label, values))
    if not any(value is not None for _label, values in series for value in values):
        return None
    chart = figure(0.8 + 0.6 * len(labels))
    axes = chart.add_subplot()
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
    local_ticks(axes.xaxis)
    axes.set_xlabel(_("Mean change"))
    axes.legend(loc="lower right", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return svg_of(chart, title=title, desc="; ".join(parts))


def trend_chart(table, *, title: str, low: float, high: float) -> dict | None:
    """A line of the mean total over time; suppressed points are gaps."""
    labels = [row["label"].display for row in table.rows]
    values = [_value(row.get("mean")) for row in table.rows]
    if sum(value is not None for value in values) < 1:
        return None
    chart = figure(2.8)
    axes = chart.add_subplot()
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
    local_ticks(axes.yaxis)
    axes.set_ylabel(_("Mean total"))
    axes.grid(axis="y", color="#dddddd")
    axes.spines[["top", "right"]].set_visible(False)
    desc = "; ".join(
        f"{label}: {number(value) if value is not None else _('not shown')}"
        for label, value in zip(labels, values, strict=True)
    )
    return svg_of(chart, title=title, desc=desc)
