"""How long the one chart toolkit (``brobyg/lib/charts.py``, hand-written SVG) takes per chart.

Run from the repository root:

    .venv/bin/python benchmarks/charts.py [--repeat 20] [--points 12]

No database: it draws, in Danish, a citizen's score chart (``line_chart``: the total and five
CHIME domains over ``--points`` answers, one answer missing) and a report's change chart (six
scales with their intervals, drawn by ``reports.charts.change_chart``), each ``--repeat``
times after one warm-up, and prints per kind

    RESULT charts kind=<scores|report_change> repeat=<n> ms_p50=<ms> ms_max=<ms> svg_kb=<kb>
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--points", type=int, default=12)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brobyg.settings")
    import django

    django.setup()
    from django.utils import translation

    from brobyg.lib.charts import Line, line_chart
    from brobyg.reports.charts import change_chart
    from brobyg.reports.tables import Cell, Table

    translation.activate("da")
    start = date(2025, 1, 6)
    days = [start + timedelta(days=30 * number) for number in range(options.points)]
    lines = [
        Line(
            name,
            [
                (day, None if number == 3 else 1 + (number * 7 + offset) % 40 / 10)
                for number, day in enumerate(days)
            ],
        )
        for offset, name in enumerate(["Total", "C", "H", "I", "M", "E"])
    ]

    def scores():
        return line_chart(lines, low=1, high=5, title="CHIME")

    table = Table("change", "Change", [("change", "Change"), ("ci", "CI")])
    for number, name in enumerate(["Total", "C", "H", "I", "M", "E"]):
        value = 0.1 * number - 0.2
        table.add(name, change=Cell(value, ""), ci=Cell((value - 0.1, value + 0.15), ""))

    def report_change():
        return change_chart(table, title="Change")

    for kind, draw in (("scores", scores), ("report_change", report_change)):
        size = len(str(draw()["svg"]))
        times = []
        for _repeat in range(options.repeat):
            began = time.perf_counter()
            draw()
            times.append((time.perf_counter() - began) * 1000)
        print(
            f"RESULT charts kind={kind} repeat={options.repeat} "
            f"ms_p50={statistics.median(times):.1f} ms_max={max(times):.1f} "
            f"svg_kb={size / 1024:.1f}"
        )


if __name__ == "__main__":
    main()
