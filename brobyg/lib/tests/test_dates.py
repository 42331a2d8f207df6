"""Dates as each language writes them, on every page (issue 15: "6. Dec 2026" and "27. Sept 2026"
were neither Danish nor English)."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def _render(text: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(text).render(Context(context))


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("da", date(2026, 12, 6), "6. dec. 2026"),
        ("da", date(2026, 5, 6), "6. maj 2026"),
        ("da", date(2026, 9, 27), "27. sep. 2026"),
        ("en", date(2026, 12, 6), "6 Dec 2026"),
        ("en", date(2026, 9, 27), "27 Sep 2026"),
    ],
)
def test_a_short_date_is_written_as_the_language_writes_it(language, day, expected):
    assert _render("{{ day|short_date }}", language, day=day) == expected


def test_a_short_date_and_time_is_local_time():
    moment = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)  # 00:30 on 6 December in Copenhagen
    assert _render("{{ moment|short_datetime }}", "da", moment=moment) == "6. dec. 2026 00:30"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("da", "mandag 29. marts 2027 14:00"), ("en", "Monday 29 March 2027 14:00")],
)
def test_a_day_and_time_with_its_weekday(language, expected):
    moment = datetime(2027, 3, 29, 12, 0, tzinfo=UTC)
    assert _render("{{ moment|weekday_datetime }}", language, moment=moment) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("da", "6. december 2026"), ("en", "6 December 2026")],
)
def test_a_long_date_is_written_as_the_language_writes_it(language, expected):
    assert _render('{{ day|date:"DATE_FORMAT" }}', language, day=date(2026, 12, 6)) == expected


def test_no_template_spells_out_a_date_format_with_a_danish_dot_and_an_english_month():
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match}"
        for path in TEMPLATES.rglob("*")
        if path.suffix in {".html", ".txt"}
        for match in re.findall(r'date:"[lD]? ?j\. [^"]*"', path.read_text())
    ]
    assert offending == []
