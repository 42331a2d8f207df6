"""The report page, its files and the honesty rules: suppression, no names, audit."""

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.outcomes.imports import import_responses
from brobyg.outcomes.models import Pseudonym
from brobyg.people.services import consent_record
from brobyg.reports.exports import pdf_document, render_pdf
from brobyg.reports.models import ReportRun, ReportSnapshot
from brobyg.reports.report import build_report
from brobyg.test import in_org, make_request

PERIOD = {"start": "2025-01-01", "end": "2025-12-31", "follow_up": "last"}
SECRET_WORDS = "Mette Holm"


def chime_rows(respondent, timepoint, day, value):
    items = ["c1", "c2", "c3", "h1", "h2", "i1", "i2", "m1", "m2", "e1", "e2", "e3"]
    return "".join(
        f"{respondent},brobyg-chime,1.0,{timepoint},{day},{item},{value}\n" for item in items
    )


def import_chime(organisation, people):
    text = "respondent,instrument,version,timepoint,date,item,value\n"
    for number in range(people):
        text += chime_rows(f"R-{number}", "baseline", "2025-02-01", 1 + number % 2)
        text += chime_rows(f"R-{number}", "end", "2025-09-01", 2 + number % 3 // 2)
    with scope(organisation=organisation.pk):
        import_responses(organisation=organisation, stream=io.StringIO(text))


def client_for(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_it_shows_figures_with_n_and_the_caveat(client, instruments, personas):
    import_chime(personas.org_a, 8)
    response = client_for(client, personas.alice).get(reverse("reports_report"), PERIOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Evaluation report · Brobyg</title>" in page
    # Ids are unique though every chart comes from lib.charts, and every reference finds its id.
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', page):
        assert reference in ids or reference == "main", reference
    # Every table on the page has as many headings as each of its rows has cells.
    for table in re.findall(r"<table.*?</table>", page, re.DOTALL):
        headings = len(re.findall(r"<th scope=\"col\"", table))
        for row in re.findall(r"<tbody>.*?</tbody>", table, re.DOTALL)[0].split("</tr>")[:-1]:
            assert len(re.findall(r"<t[hd][ >]", row)) == headings
    assert "Change on Brobyg CHIME check-in" in page
    assert "without a control group" in page.lower() or "Without a control group" in page
    assert "n paired" in page
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert " style=" not in page and "<style" not in page  # the CSP allows no inline styles
    assert LogEntry.objects.filter(object_type="reports.report", actor=personas.alice).exists()


def test_it_suppresses_small_cells_for_evaluators_only(client, instruments, personas):
    import_chime(personas.org_a, 3)
    with in_org(personas.org_a):
        coordinator = build_report(
            organisations=[personas.org_a],
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            suppress=False,
        )
    table = next(t for _s, t in coordinator.tables() if t.key == "change-brobyg-chime")
    assert table.rows[0]["n"].value == 3 and table.rows[0]["change"].value is not None
    page = client_for(client, personas.eva).get(reverse("reports_report"), PERIOD)
    text = page.content.decode()
    assert "&lt;\u202f5" in text
    with in_org(personas.org_a):
        evaluator = build_report(
            organisations=[personas.org_a],
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            suppress=True,
        )
    for _section, table in evaluator.tables():
        for row in table.rows:
            for key, cell in row.items():
                if key == "label":
                    continue
                if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    assert not 0 < cell.value < 5, (table.key, key)
                if cell.suppressed:
                    with translation.override("da"):
                        assert cell.display in ("<\u202f5", "skjult")
    chime = next(t for _s, t in evaluator.tables() if t.key == "change-brobyg-chime")
    assert all(row["change"].suppressed and row["t_p"].suppressed for row in chime.rows)
    # The counts read "< 5"; the figures computed from them read "hidden", not "< 5".
    total = chime.rows[0]
    assert total["n"].display == "<\u202f5"
    with translation.override("en"):
        assert total["mean_t1"].display == "hidden"


def test_evaluators_never_see_names_contact_or_free_text(client, instruments, personas):
    _request, _token = make_request(personas.programme_a, email="mette@example.org")
    import_chime(personas.org_a, 6)
    for user in (personas.eva, personas.alice):
        page = client_for(client, user).get(reverse("reports_report"), PERIOD).content.decode()
        assert SECRET_WORDS not in page
        assert "mette@example.org" not in page and "20304050" not in page
        assert "R-1" not in page  # not even the imported pseudonyms


def run_export(client, django_capture_on_commit_callbacks, user, file_format, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports_export"), {**PERIOD, "format": file_format, **extra}
        )
    assert response.status_code == 302, response.content[:500]
    with scopes_disabled():
        run = ReportRun.objects.latest("created_at")
    assert run.status == "done" and run.progress == 100
    status = client.get(reverse("reports_run", args=[run.public_id]))
    assert b"Download" in status.content
    download = client.get(reverse("reports_download", args=[run.public_id]))
    assert download.status_code == 200
    assert LogEntry.objects.filter(
        action="export", actor=user, object_id=str(run.public_id)
    ).exists()
    return b"".join(download) if download.streaming else download.content


def _pdf_objects(content: bytes) -> bytes:
    """The PDF with its compressed streams inflated."""
    import re
    import zlib

    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf"])
def test_it_makes_files_with_small_cells_suppressed(
    client, instruments, personas, django_capture_on_commit_callbacks, file_format
):
    import_chime(personas.org_a, 3)
    client_for(client, personas.alice)
    content = run_export(client, django_capture_on_commit_callbacks, personas.alice, file_format)
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        paired = [row for row in rows if row[3] == "n paired" and "CHIME" in row[1]]
        assert paired and all(row[4] == "<5" for row in paired)
    elif file_format == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content))
        values = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row]
        assert "<5" in values
    else:
        assert content.startswith(b"%PDF")
        assert b"/StructTreeRoot" in _pdf_objects(content)  # tagged for screen readers


def test_the_pdf_has_danish_characters_and_page_numbers(instruments, personas):
    from brobyg.test import make_programme

    programme = make_programme(personas.org_a, "Æblehaven: støtte på øen")
    import_chime(personas.org_a, 6)
    with in_org(personas.org_a):
        report = build_report(
            organisations=[personas.org_a],
            programmes=[programme],
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            suppress=True,
        )
        document = pdf_document(report)
        assert render_pdf(report).startswith(b"%PDF")

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", []) or []:
            yield from texts(child)

    page_texts = [" ".join(texts(page._page_box)) for page in document.pages]
    assert "Æblehaven: støtte på øen" in page_texts[0]
    assert all(
        f"{number} / {len(document.pages)}" in text
        for number, text in enumerate(page_texts, start=1)
    )


def test_the_dataset_is_pseudonymised_with_a_dictionary(
    client, instruments, personas, django_capture_on_commit_callbacks
):
    import_chime(personas.org_a, 6)
    with in_org(personas.org_a):
        citizens = {p.value: p.citizen for p in Pseudonym.objects.select_related("citizen")}
    with scope(organisation=personas.org_a.pk):
        # R-0 said yes and then withdrew; R-5 never answered (imported answers have no
        # programme, so no public task stands in for a consent); the others said yes.
        for value in ("R-0", "R-1", "R-2", "R-3", "R-4"):
            consent_record(
                citizen=citizens[value],
                purpose="evaluation",
                given=True,
                method="written",
                actor=personas.alice,
            )
        consent_record(
            citizen=citizens["R-0"],
            purpose="evaluation",
            given=False,
            method="written",
            actor=personas.alice,
        )
    client_for(client, personas.eva)
    content = run_export(client, django_capture_on_commit_callbacks, personas.eva, "dataset")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert set(archive.namelist()) == {"data.csv", "dictionary.csv", "README.txt"}
    data = archive.read("data.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    pseudonyms = {row["pseudonym"] for row in rows}
    assert len(pseudonyms) == 4  # R-0 withdrew, R-5 never consented
    assert all(value.startswith("P-") for value in pseudonyms)
    assert "R-1" not in data and "Mette" not in data
    readme = archive.read("README.txt").decode()
    # Counts in the README follow the report's rule: 1 to 4 read <5.
    assert "Citizens in data.csv: <5." in readme
    assert "said no to use in evaluation: <5." in readme
    assert "or answers that belong to no programme): <5." in readme
    # Stable: the same pseudonyms in the next export.
    again = run_export(client, django_capture_on_commit_callbacks, personas.eva, "dataset")
    again_rows = csv.DictReader(
        io.StringIO(zipfile.ZipFile(io.BytesIO(again)).read("data.csv").decode("utf-8-sig"))
    )
    assert {row["pseudonym"] for row in again_rows} == pseudonyms


def test_only_evaluators_get_the_dataset(client, instruments, personas):
    client_for(client, personas.alice)
    response = client.post(reverse("reports_export"), {**PERIOD, "format": "dataset"})
    assert response.status_code == 403


def test_the_report_page_queries_do_not_grow_with_citizens(
    client, instruments, personas, django_assert_max_num_queries
):
    import_chime(personas.org_a, 6)
    client_for(client, personas.maja)
    # The first visit computes the figures (the inline worker of tests) and stores them.
    with django_assert_max_num_queries(90) as captured:
        client.get(reverse("reports_report"), PERIOD)
    few = len(captured.captured_queries)
    more = "respondent,instrument,version,timepoint,date,item,value\n" + "".join(
        chime_rows(f"S-{n}", "baseline", "2025-03-01", 2)
        + chime_rows(f"S-{n}", "end", "2025-10-01", 3)
        for n in range(30)
    )
    with scope(organisation=personas.org_a.pk):
        import_responses(organisation=personas.org_a, stream=io.StringIO(more))
        ReportSnapshot.objects.all().delete()  # so the figures are computed again
    with django_assert_max_num_queries(few):
        client.get(reverse("reports_report"), PERIOD)


def test_the_dataset_follows_the_chosen_programmes(instruments, personas):
    from brobyg.reports.exports import render_dataset
    from brobyg.test import make_waiting_request

    with in_org(personas.org_a):
        request, _token = make_waiting_request(personas.programme_a, name="In the programme")
        Pseudonym.objects.create(organisation=personas.org_a, value="R-0", citizen=request.citizen)
    import_chime(personas.org_a, 3)  # R-0 is the citizen above; are new
    with scope(organisation=personas.org_a.pk):
        content = render_dataset(
            organisation=personas.org_a,
            programmes=[personas.programme_a],
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
        )
    data = zipfile.ZipFile(io.BytesIO(content)).read("data.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len({row["pseudonym"] for row in rows}) == 1
    assert "In the programme" not in data


def test_the_dataset_needs_a_yes_where_the_programme_works_on_consent(instruments, personas):
    """At a volunteer centre (consent as legal basis) a citizen who never answered on evaluation
    stays out; the same citizen's yes brings them in."""
    from brobyg.reports.exports import render_dataset
    from brobyg.test import make_waiting_request

    with in_org(personas.org_b):
        request, _token = make_waiting_request(personas.programme_b, name="Frivillig borger")
        Pseudonym.objects.create(organisation=personas.org_b, value="R-0", citizen=request.citizen)
    import_chime(personas.org_b, 1)

    def pseudonyms():
        with scope(organisation=personas.org_b.pk):
            content = render_dataset(
                organisation=personas.org_b,
                programmes=[],
                start=date(2025, 1, 1),
                end=date(2025, 12, 31),
            )
        data = zipfile.ZipFile(io.BytesIO(content)).read("data.csv").decode("utf-8-sig")
        return {row["pseudonym"] for row in csv.DictReader(io.StringIO(data))}

    assert pseudonyms() == set()
    with scope(organisation=personas.org_b.pk):
        consent_record(
            citizen=request.citizen,
            purpose="evaluation",
            given=True,
            method="written",
            actor=personas.carl,
        )
    assert len(pseudonyms()) == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("0001-01-01", "0001-01-02", "Choose a start from 1 January 2000 on."),
        ("2025-01-01", "2999-12-31", "The period cannot end after today."),
        ("2025-06-01", "2025-01-01", "The end must be on or after the start."),
    ],
)
def test_a_period_out_of_bounds_gets_a_message_and_keeps_the_input(
    client, instruments, personas, start, end, message
):
    browser = client_for(client, personas.maja)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = browser.get(reverse("reports_report"), {"start": start, "end": end, "follow_up": "last"})
    assert page.status_code == 200
    text = page.content.decode()
    assert message in text
    assert f'value="{start}"' in text and f'value="{end}"' in text
    # The summary of errors takes the focus and links to the field.
    assert 'class="error-summary" tabindex="-1" autofocus' in text
    assert 'href="#id_start"' in text or 'href="#id_end"' in text


def test_files_give_interval_limits_as_numbers_and_list_the_quotes(instruments, personas):
    from openpyxl import load_workbook

    from brobyg.reports.exports import render_csv, render_xlsx
    from brobyg.reports.tables import Section, Table, share_cell

    import_chime(personas.org_a, 8)
    with in_org(personas.org_a), translation.override("en"):
        report = build_report(
            organisations=[personas.org_a],
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            suppress=True,
        )
        quotes = Table(key="quotes", title="Quotes", columns=[])
        quotes.add("Nu tør jeg igen.")
        report.sections.append(Section(key="quotes", title="In their own words", tables=[quotes]))
        shares = Table(key="shares", title="Shares", columns=[("share", "Share")])
        shares.add("Retained", share=share_cell(0.625))
        report.sections.append(Section(key="shares", title="Shares", tables=[shares]))
        rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"))))
        workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    total = {row[3]: row[4] for row in rows if "CHIME" in row[1] and row[2] == "Total"}
    dz = float(total["Cohen's dz (95 % CI)"])
    low, high = (
        float(total["Cohen's dz (95 % CI), lower limit"]),
        float(total["Cohen's dz (95 % CI), upper limit"]),
    )
    assert low < dz < high
    change = float(total["Mean change"])
    assert float(total["95 % CI, lower limit"]) < change < float(total["95 % CI, upper limit"])
    assert ["In their own words", "Quotes", "Nu tør jeg igen.", "", ""] in rows
    sheet = next(sheet for sheet in workbook if sheet["A1"].value.startswith("Change on"))
    header = [cell.value for cell in sheet[2]]
    values = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))
    assert isinstance(values["95 % CI, lower limit"], float)
    assert isinstance(values["Cohen's dz (95 % CI), upper limit"], float)
    # A share is a number shown as a percentage.
    share = next(sheet for sheet in workbook if sheet["A1"].value == "Shares")["B3"]
    assert (share.value, share.number_format) == (0.625, "0%")


def test_the_file_page_says_what_it_covers_and_leads_back_to_the_same_report(
    client, instruments, personas, django_capture_on_commit_callbacks
):
    client_for(client, personas.alice)
    programme = personas.programme_a
    run_export(
        client,
        django_capture_on_commit_callbacks,
        personas.alice,
        "csv",
        programmes=[str(programme.public_id)],
        follow_up="followup_6m",
    )
    with in_org(personas.org_a):
        run = ReportRun.objects.latest("created_at")
    page = client.get(reverse("reports_run", args=[run.public_id])).content.decode()
    assert "1 January 2025" in page and "31 December 2025" in page
    assert programme.name in page and "After 6 months" in page
    back = f"{reverse('reports_report')}?programmes={programme.public_id}&amp;start=2025-01-01"
    assert back in page and "follow_up=followup_6m" in page
