"""Reading files: encodings, delimiters, Excel cells, dates, empty and unreadable files."""

import io
from datetime import date, datetime

import pytest
from django.utils import translation
from openpyxl import Workbook

from brobyg.imports.columns import match_headings
from brobyg.imports.parsing import FileProblem, parse_date, read_table


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


CSV_TEXT = "Navn;Telefon;By\r\nSøren Ærø;20304050;Århus\r\n"


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"),
        CSV_TEXT.encode("cp1252"),
        CSV_TEXT.encode("latin-1"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1252", "latin-1"],
)
def test_it_reads_danish_letters_in_each_encoding_excel_saves(data):
    table = read_table(data, "liste.csv")
    assert table.headings == ["Navn", "Telefon", "By"]
    assert table.rows == [(2, ["Søren Ærø", "20304050", "Århus"])]


def test_it_reads_commas_and_quoted_cells():
    table = read_table(b'Name,Phone\r\n"Holm, Mette",20304050\r\n', "list.csv")
    assert table.rows == [(2, ["Holm, Mette", "20304050"])]


def test_it_says_so_when_the_letters_cannot_be_read():
    with pytest.raises(FileProblem, match="UTF-16"):
        read_table(CSV_TEXT.encode("utf-16"), "liste.csv")
    with pytest.raises(FileProblem, match="neither UTF-8 nor Windows-1252"):
        read_table(b"Navn\r\nA\x81\x8d\r\n", "liste.csv")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\r\n;;\r\n", "The file is empty"),
        (b"Navn;Telefon\r\n", "headings but no rows"),
    ],
)
def test_it_refuses_an_empty_file(data, message):
    with pytest.raises(FileProblem, match=message):
        read_table(data, "liste.csv")


def test_it_refuses_other_files_with_what_to_do():
    with pytest.raises(FileProblem, match="Old Excel files"):
        read_table(b"x", "liste.xls")
    with pytest.raises(FileProblem, match="Upload a CSV file"):
        read_table(b"x", "liste.pdf")
    with pytest.raises(FileProblem, match="could not be opened as an Excel workbook"):
        read_table(b"not a zip", "liste.xlsx")
    with pytest.raises(FileProblem, match="not a text file"):
        read_table(b"PK\x03\x04rest", "liste.csv")


def test_it_reads_an_excel_sheet_with_date_and_number_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Navn", "Startdato", "Fødselsår"])
    sheet.append(["Mette", datetime(2026, 1, 31), 1988])
    sheet.append([None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(out.getvalue(), "liste.XLSX")
    assert table.rows == [(2, ["Mette", "2026-01-31", "1988"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31-01-2026", date(2026, 1, 31)),
        ("31.01.2026", date(2026, 1, 31)),
        ("2026-01-31", date(2026, 1, 31)),
        ("1-2-2026", date(2026, 2, 1)),
        ("2026-01-31 00:00:00", date(2026, 1, 31)),
        ("31-02-2026", None),
        ("01/31/2026", None),
        ("i går", None),
    ],
)
def test_it_reads_dates_in_three_formats(text, expected):
    assert parse_date(text) == expected


def test_it_accepts_danish_and_english_headings_and_names_every_wrong_column():
    assert match_headings("peers", ["Navn", "e-mail", "Paid or volunteer"]) == {
        0: "name",
        1: "email",
        2: "kind",
    }
    with pytest.raises(FileProblem) as problem:
        match_headings("peers", ["Navn", "Navn", "Skostørrelse"])
    messages = " ".join(problem.value.args)
    assert "appears twice" in messages
    assert '"Skostørrelse" is not one this import knows' in messages
    assert "is missing" in messages
