"""Tables as files people open in a spreadsheet: CSV (UTF-8 with a byte-order mark and
semicolons, as Excel in Denmark opens it) and XLSX. Used by imports (its templates) and
volunteers (the bookkeeper's export). ``safe_cell`` neutralises a typed text that a spreadsheet
would run as a formula (CSV injection)."""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(header: list[str], rows: list[list[str]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, heading in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(heading))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
