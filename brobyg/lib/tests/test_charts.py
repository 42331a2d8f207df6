import re
from datetime import date

from django.utils import translation

from brobyg.lib.charts import Line, line_chart


def test_it_draws_lines_over_days_accessibly_and_without_inline_styles():
    lines = [
        Line("Total", [(date(2026, 1, 5), 2.5), (date(2026, 3, 1), None), (date(2026, 4, 1), 3)]),
        Line("Hope", [(date(2026, 1, 5), 2.0), (date(2026, 3, 1), 3.5)]),
    ]
    with translation.override("en"):
        chart = line_chart(lines, low=1, high=5, title="CHIME")
    svg = str(chart["svg"])
    assert svg.startswith('<svg role="img"') and 'class="chart"' in svg
    assert f'<title id="{chart["id"]}-title">CHIME</title>' in svg
    assert "Total: from 2.5 on" in svg and "Hope: from 2 on" in svg
    assert "<title>Total, 5 January 2026: 2.5</title>" in svg
    assert " style=" not in svg and "<style" not in svg
    assert [line["label"] for line in chart["legend"]] == ["Total", "Hope"]
    assert chart["legend"][1]["dash"] and chart["legend"][0]["marker"] != "square"


def test_two_line_charts_share_no_id():
    lines = [Line("Total", [(date(2026, 1, 5), 2.5)])]
    first, second = (str(line_chart(lines, low=1, high=5, title="T")["svg"]) for _ in range(2))
    ids = [set(re.findall(r'\sid="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and not ids[0] & ids[1]
