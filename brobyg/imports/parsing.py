"""Reading an uploaded CSV or XLSX file into a heading row and data rows of text.

Framework-free apart from translations: ``read_table`` returns the rows or raises ``FileProblem``
with a message for the person who uploaded the file. Cells come back as stripped text; an Excel
date cell comes back as ``yyyy-mm-dd``, a whole number as its digits.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

# The largest file accepted; the view refuses a larger upload before it is read.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000


class FileProblem(Exception):
    """The file cannot be read as a table; ``str(error)`` says why and what to do."""


@dataclass
class Table:
    headings: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    encoding: str = ""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read as: UTF-8 with or without a byte-order
    mark, else Windows-1252 (what Excel in Denmark saves as "CSV (semikolonsepareret)"), which
    covers Latin-1's letters. Anything else raises ``FileProblem``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            _(
                'The file is saved as UTF-16 ("Unicode text"), which cannot be read here. In '
                'Excel, choose Save as, then "CSV UTF-8 (comma delimited)" or "CSV '
                '(semicolon delimited)", and upload that file.'
            )
        )
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise FileProblem(
            _(
                "The file is not a text file. If it is an Excel workbook, give it the ending "
                ".xlsx; otherwise save it as CSV and upload it again."
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise FileProblem(
            _(
                "The file's letters could not be read: it is neither UTF-8 nor Windows-1252 "
                '(Latin-1). In Excel, choose Save as, then "CSV UTF-8 (comma delimited)", and '
                "upload that file."
            )
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        lines = [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error:
        raise FileProblem(
            _("The file is not a well-formed CSV file (a quotation mark may be missing).")
        ) from None
    return _table(lines, encoding)


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileProblem(
            _(
                "The file could not be opened as an Excel workbook (.xlsx). Open it in Excel and "
                'save it again as "Excel Workbook (.xlsx)", or save it as CSV.'
            )
        ) from None
    try:
        sheet = workbook.worksheets[0]
        lines = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            lines.append((number, [_cell_text(value) for value in row]))
            if number > MAX_ROWS + 1:
                break
    finally:
        workbook.close()
    return _table(lines, "")


def _table(lines, encoding: str) -> Table:
    lines = [(number, [_cell_text(cell) for cell in row]) for number, row in lines]
    lines = [(number, row) for number, row in lines if any(row)]
    if not lines:
        raise FileProblem(_("The file is empty. Fill in the template and upload it again."))
    headings = lines[0][1]
    while headings and not headings[-1]:
        headings.pop()
    rows = [(number, row) for number, row in lines[1:]]
    if not rows:
        raise FileProblem(
            _(
                "The file has headings but no rows. Write one row per person under the "
                "headings and upload it again."
            )
        )
    if len(rows) > MAX_ROWS:
        raise FileProblem(
            _("The file has more than %(count)s rows. Split it into smaller files.")
            % {"count": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    return Table(headings=headings, rows=rows, encoding=encoding)


def read_table(data: bytes, file_name: str) -> Table:
    """The table in an uploaded file, read by its ending (.csv, .txt or .xlsx)."""
    if not data:
        raise FileProblem(_("The file is empty. Fill in the template and upload it again."))
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(too_large_message())
    ending = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if ending == "xlsx":
        return read_xlsx(data)
    if ending in ("csv", "txt"):
        return read_csv(data)
    if ending == "xls":
        raise FileProblem(
            _(
                "Old Excel files (.xls) cannot be read. Open the file in Excel and save it as "
                '"Excel Workbook (.xlsx)" or as CSV.'
            )
        )
    raise FileProblem(_("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))


def too_large_message() -> str:
    return _(
        "The file is larger than %(size)s MB, the most that can be imported at once. Split it "
        "into smaller files, or remove columns that are not in the template."
    ) % {"size": MAX_FILE_BYTES // (1024 * 1024)}


DATE_FORMATS = (
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("day", "month", "year")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("day", "month", "year")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("day", "month", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("year", "month", "day")),
)


def parse_date(text: str) -> date | None:
    """``dd-mm-yyyy``, ``dd.mm.yyyy`` (also ``dd/mm/yyyy``) or ``yyyy-mm-dd`` (what an Excel date
    cell is read as); None when it is none of those or no real date."""
    text = text.strip().split(" ")[0]
    for pattern, order in DATE_FORMATS:
        found = pattern.match(text)
        if found:
            parts = dict(zip(order, (int(part) for part in found.groups()), strict=True))
            try:
                return date(parts["year"], parts["month"], parts["day"])
            except ValueError:
                return None
    return None
