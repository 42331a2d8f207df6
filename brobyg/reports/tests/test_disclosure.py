"""Disclosure control (issue 17, point 7): the attacks an evaluator could play against the page,
the CSV, the XLSX and the dataset's README, and what they learn: no count of 1 to 4.

Programme A has 8 citizens with both answers (6 improved reliably, 1 unchanged, 1 worse; a
ninth withdrew their consent) and 3 with a start answer only; programme B has 8 with both
answers, 3 of them also in A; programme C has 3. The attacks: a hidden part worked out from
its total, a small group from the margins of one table (n at start - n paired), the overlap of
A and B from the reports over A, B and A+B, and the reliable-change criterion of 3 pairs."""

import csv
import html
import io
import re
import uuid
import zipfile
from itertools import combinations

import pytest
from django.urls import reverse
from django_scopes import scope

from brobyg.lib.links import new_link_token, token_digest
from brobyg.outcomes.imports import import_responses
from brobyg.outcomes.models import Pseudonym
from brobyg.people.services import consent_record
from brobyg.reports.tests.test_report_pages import PERIOD, client_for, run_export
from brobyg.test import in_org, make_programme, make_waiting_request

ITEMS = [f"q{number}" for number in range(1, 16)]
COUNT_COLUMNS = (
    "n at start",
    "n at follow-up",
    "n paired",
    "Reliably improved",
    "No reliable change",
    "Reliably deteriorated",
)
PARTS = ("Reliably improved", "No reliable change", "Reliably deteriorated")


def _answers(respondent, timepoint, day, value):
    return "".join(f"{respondent},qpr-15,2014,{timepoint},{day},{item},{value}\n" for item in ITEMS)


@pytest.fixture
def programmes(instruments, personas):
    a = personas.programme_a
    b = make_programme(personas.org_a, "Programme B")
    c = make_programme(personas.org_a, "Programme C")
    text = "respondent,instrument,version,timepoint,date,item,value\n"
    # (programmes, start item value, end item value or None)
    people = (
        [((a,), 1 + number % 2, 3) for number in range(6)]  # 6 in A: reliably better
        + [((a, b), 1, 3), ((a, b), 2, 2), ((a, b), 3, 1)]  # in A and B: better, same, worse
        + [((b,), 1 + number % 2, 3) for number in range(5)]
        + [((a,), 2, None) for _number in range(3)]  # start only
        + [((c,), 1 + number, 3) for number in range(3)]
    )
    with in_org(personas.org_a):
        for number, (where, start, end) in enumerate(people):
            request, _token = make_waiting_request(where[0], name=f"Citizen {number}")
            for programme in where[1:]:
                request.pk, request.public_id = None, uuid.uuid4()
                request.programme = programme
                request.token_digest = token_digest(new_link_token())
                request.save()
            Pseudonym.objects.create(
                organisation=personas.org_a, value=f"D-{number}", citizen=request.citizen
            )
            text += _answers(f"D-{number}", "baseline", "2025-02-01", start)
            if end is not None:
                text += _answers(f"D-{number}", "end", "2025-09-01", end)
            if number == 0:
                consent_record(
                    citizen=request.citizen,
                    purpose="evaluation",
                    given=False,
                    method="written",
                    actor=personas.alice,
                )
    with scope(organisation=personas.org_a.pk):
        import_responses(organisation=personas.org_a, stream=io.StringIO(text))
    return {"A": [a], "B": [b], "A+B": [a, b], "C": [c]}


def _count(text):
    """A shown count: an integer, or None for "< 5", "hidden" and empty cells."""
    text = str(text).replace("\u202f", "").strip()
    match = re.match(r"^(\d+)(?: \(.*\))?$", text)
    return int(match.group(1)) if match else None


def _from_page(client, selection):
    query = {**PERIOD, "programmes": [str(p.public_id) for p in selection]}
    page = client.get(reverse("reports_report"), query).content.decode()
    tables = {}
    for kind in ("change", "reliable"):
        block = re.search(rf'id="figure-{kind}-qpr-15".*?</table>', page, re.DOTALL).group(0)
        headers = [html.unescape(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', block)]
        rows = {}
        for row in re.findall(r"<tr>(.*?)</tr>", block.split("<tbody>")[1], re.DOTALL):
            cells = [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            rows[cells[0]] = dict(zip(headers[1:], cells[1:], strict=True))
        tables[kind] = rows
    return tables


def _from_csv(content):
    tables = {"change": {}, "reliable": {}}
    for _section, title, label, column, value in csv.reader(
        io.StringIO(content.decode("utf-8-sig"))
    ):
        kind = (
            "change"
            if title.startswith("Change on QPR")
            else "reliable"
            if title.startswith("Reliable and meaningful change on QPR")
            else None
        )
        if kind:
            tables[kind].setdefault(label, {})[column] = value
    return tables


def _from_xlsx(content):
    from openpyxl import load_workbook

    tables = {"change": {}, "reliable": {}}
    for sheet in load_workbook(io.BytesIO(content)):
        title = str(sheet["A1"].value)
        kind = "change" if title.startswith("Change on QPR") else None
        if title.startswith("Reliable and meaningful change on QPR"):
            kind = "reliable"
        if not kind:
            continue
        header = [cell.value for cell in sheet[2]]
        for row in sheet.iter_rows(min_row=3, values_only=True):
            if row[0] and len(row) == len(header) and row[1] is not None:
                tables[kind][row[0]] = dict(zip(header[1:], row[1:], strict=True))
    return tables


def _attack(reports: dict[str, dict]) -> list[str]:
    """Every small number the attacks find, as descriptions."""
    found = []

    def small(value, what):
        if value is not None and 0 < value < 5:
            found.append(f"{what} = {value}")

    for name, tables in reports.items():
        for kind, rows in tables.items():
            for label, cells in rows.items():
                for column in COUNT_COLUMNS:
                    if column in cells:
                        small(_count(cells[column]), f"{name} {kind} {label} {column}")
        total = tables["change"]["Total"]
        n = _count(total["n paired"])
        for margin in ("n at start", "n at follow-up"):
            if n is not None and _count(total[margin]) is not None:
                small(_count(total[margin]) - n, f"{name}: {margin} - n paired")
        reliable = tables["reliable"].get("Total", {})
        parts = [_count(reliable.get(part)) for part in PARTS]
        if n is not None and parts.count(None) and reliable:
            small(n - sum(part or 0 for part in parts), f"{name}: hidden parts of n paired")
        if n is None or n < 5:
            criterion = str(reliable.get("Reliable change is more than", "hidden"))
            if re.search(r"\d", criterion):
                found.append(f"{name}: a criterion from fewer than 5 pairs: {criterion}")
    for column in ("n at start", "n at follow-up", "n paired"):
        a, b, both = (_count(reports[key]["change"]["Total"][column]) for key in ("A", "B", "A+B"))
        if None not in (a, b, both):
            small(a + b - both, f"overlap of A and B in {column}")
            small(both - a, f"A+B - A in {column}")
            small(both - b, f"A+B - B in {column}")
    return found


def test_an_evaluator_learns_no_count_under_five_from_page_or_files(
    client, personas, programmes, django_capture_on_commit_callbacks
):
    client_for(client, personas.eva)
    pages = {name: _from_page(client, selection) for name, selection in programmes.items()}
    # Without the rule the attacks succeed: the manager's page shows the exact figures.
    client_for(client, personas.maja)
    exact = {name: _from_page(client, selection) for name, selection in programmes.items()}
    assert _attack(exact), "the data should make the attacks work on unsuppressed figures"
    assert _count(exact["A"]["change"]["Total"]["n paired"]) == 8
    assert _attack(pages) == []
    # The rule at work: 8 reads 10, 13 reads 15, and C's 3 pairs read "< 5".
    assert _count(pages["A"]["change"]["Total"]["n paired"]) == 10
    assert _count(pages["A+B"]["change"]["Total"]["n paired"]) == 15
    assert pages["C"]["change"]["Total"]["n paired"] == "<\u202f5"
    assert "Reliable change is more than" in exact["C"]["reliable"]["Total"]
    client_for(client, personas.eva)
    for file_format, read in (("csv", _from_csv), ("xlsx", _from_xlsx)):
        files = {
            name: read(
                run_export(
                    client,
                    django_capture_on_commit_callbacks,
                    personas.eva,
                    file_format,
                    programmes=[str(p.public_id) for p in selection],
                )
            )
            for name, selection in programmes.items()
        }
        assert _count(files["A"]["change"]["Total"]["n paired"]) == 10, file_format
        assert _attack(files) == [], file_format
    counts = []
    for selection in programmes.values():
        content = run_export(
            client,
            django_capture_on_commit_callbacks,
            personas.eva,
            "dataset",
            programmes=[str(p.public_id) for p in selection],
        )
        readme = zipfile.ZipFile(io.BytesIO(content)).read("README.txt").decode()
        counts += [int(n) for n in re.findall(r": (\d+)\.$", readme, re.MULTILINE)]
        assert re.search(r"said no to use in evaluation: (<5|\d+)\.", readme)
    assert not [n for n in counts if 0 < n < 5]
    assert not [a - b for a, b in combinations(counts, 2) if 0 < abs(a - b) < 5]
