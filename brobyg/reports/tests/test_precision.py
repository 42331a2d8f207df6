"""Files give p-values and small figures with significant digits, never 0 (issue 17, point 8)."""

import csv
import io
from datetime import date

import pytest
from django.utils import timezone, translation

from brobyg.reports.exports import render_csv, render_xlsx
from brobyg.reports.report import Report
from brobyg.reports.tables import Cell, Section, Table, p_value

FIGURES = [3.2468713e-12, 4.99e-7, 0.000123456789, 0.0312345678, 0.25, 12.3456789, 1234.56789]


def _report():
    table = Table(key="p", title="P values", columns=[("p", "p")])
    for number, value in enumerate(FIGURES):
        table.add(f"row {number}", p=Cell(value, p_value(value)))
    return Report(
        organisation_names=["A"],
        programme_names=[],
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        follow_up="last",
        suppressed=True,
        generated_at=timezone.now(),
        sections=[Section(key="s", title="S", tables=[table])],
    )


def test_files_keep_six_significant_digits_of_small_figures():
    from openpyxl import load_workbook

    with translation.override("en"):
        rows = list(csv.reader(io.StringIO(render_csv(_report()).decode("utf-8-sig"))))
        workbook = load_workbook(io.BytesIO(render_xlsx(_report())))
    in_csv = [float(row[4]) for row in rows if row[1] == "P values"]
    sheet = next(sheet for sheet in workbook if sheet["A1"].value == "P values")
    in_xlsx = [row[1].value for row in sheet.iter_rows(min_row=3) if row[1].value is not None]
    for found in (in_csv, in_xlsx):
        assert len(found) == len(FIGURES)
        for value, expected in zip(found, FIGURES, strict=True):
            assert value > 0
            assert value == pytest.approx(expected, rel=1e-5)
            if expected >= 1:  # never fewer than six decimals either
                assert value == pytest.approx(round(expected, 6), abs=1e-12)


def test_a_p_value_beyond_double_precision_is_written_as_a_bound_not_0():
    from brobyg.reports.cells import p_cell

    assert p_cell(0.0, "").export_value == "<1e-300"
    assert p_cell(3e-320, "").export_value == "<1e-300"
    assert p_cell(2.5e-12, "").export_value == 2.5e-12
    assert p_cell(None, "why").display == "why"
