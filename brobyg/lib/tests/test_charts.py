import re
from datetime import date

from django.utils import translation

from brobyg.lib.charts import Line, line_chart, nice_ticks


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


def test_it_escapes_labels_and_writes_numbers_and_dates_in_danish():
    lines = [Line("<b>Håb & mod</b>", [(date(2026, 1, 5), -1.5), (date(2026, 2, 1), 2.25)])]
    with translation.override("da"):
        chart = line_chart(lines, low=-2, high=3, title="<i>CHIME</i>")
    svg = str(chart["svg"])
    assert "<b>" not in svg and "<i>" not in svg
    assert "&lt;b&gt;Håb &amp; mod&lt;/b&gt;" in svg and "&lt;i&gt;CHIME&lt;/i&gt;" in svg
    assert ">\u22122</text>" in svg and ": \u22121,5</title>" in svg and ": 2,25</title>" in svg
    assert "5. Jan 26" in svg  # the local date ticks


def test_a_missing_value_breaks_the_line_and_every_point_has_its_marker():
    days = [date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 5)]
    lines = [Line("Total", [(days[0], 2), (days[1], 3), (days[2], None), (days[3], 4)])]
    svg = str(line_chart(lines, low=1, high=5, title="T")["svg"])
    assert svg.count("<polyline") == 1  # the last point stands alone after the gap
    assert svg.count("<circle") == 3 and svg.count("<title>Total, ") == 3


def test_nice_ticks_are_round_and_cover_the_range():
    assert nice_ticks(-0.42, 0.8) == [-0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(0, 4) == [0, 1, 2, 3, 4]
    assert nice_ticks(0, 0) == [-1, -0.5, 0, 0.5, 1]
