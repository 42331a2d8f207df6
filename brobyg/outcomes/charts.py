"""Charts of scores over time, drawn with the one chart toolkit (``lib/charts.py``): a chart
per instrument with its figures as a table beside it (``outcomes/_chart.html``), so the SVG
carries only a short title and description for screen readers.
"""

from django.utils.translation import gettext as _

from brobyg.lib.charts import Line, line_chart
from brobyg.outcomes.definitions import TOTAL
from brobyg.outcomes.schedules import timepoint_label


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
