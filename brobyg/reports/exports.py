"""The report as files: PDF (WeasyPrint), XLSX (openpyxl), CSV, and the evaluator's
pseudonymised dataset with its data dictionary.

Files can leave the organisation, so the report in them is always built with small cells
suppressed. The dataset holds one row per score of a citizen's questionnaire, under a stable
pseudonym (a keyed hash of the organisation and the citizen record, the same in every export,
never reversible without the key): no name, contact detail, free text or internal id.
"""

import csv
import hashlib
import hmac
import io
import zipfile

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobyg.intake.models import SupportRequest
from brobyg.orgs.choices import LegalBasis
from brobyg.outcomes.models import RespondentKind, Score
from brobyg.people.models import Consent, ConsentPurpose
from brobyg.reports.tables import count_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_pdf(report) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/pdf.html", {"report": report})
    # Tagged, so screen readers get the headings and tables, as public bodies must offer.
    return HTML(string=html).write_pdf(pdf_tags=True)


def pdf_document(report):
    """The laid-out document (for tests that read the pages' text)."""
    from weasyprint import HTML

    return HTML(string=render_to_string("reports/pdf.html", {"report": report})).render()


def _about_rows(report) -> list[list[str]]:
    rows = [
        [_("Organisation"), ", ".join(report.organisation_names)],
        [_("Programmes"), ", ".join(report.programme_names) or _("All")],
        [_("Period"), f"{report.start.isoformat()} - {report.end.isoformat()}"],
        [_("Follow-up"), report.follow_up_label],
        [_("Note"), report.caveat],
    ]
    if report.suppressed:
        rows.append(
            [
                _("Small cells"),
                report.suppression_text,
            ]
        )
    for section in report.sections:
        rows += [[section.title, text] for text in [*section.methods, *section.texts]]
    return rows


def render_csv(report) -> bytes:
    """One long table: section, table, row, column, value (numbers with a decimal point)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("section"), _("table"), _("row"), _("column"), _("value")])
    for section, table in report.tables():
        _figure, *columns = table.export_header()
        for row_values in table.matrix():
            label, *values = row_values
            if not columns:  # a list, such as the quotes
                writer.writerow([section.title, table.title, label, "", ""])
            for column, value in zip(columns, values, strict=True):
                writer.writerow([section.title, table.title, label, column, value])
    for key, value in _about_rows(report):
        writer.writerow(["", "", key, "", value])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(char for char in title if char not in "[]:*?/\\")[:28] or "Tabel"
    candidate, number = clean, 2
    while candidate in used:
        candidate = f"{clean[:25]} {number}"
        number += 1
    used.add(candidate)
    return candidate


def render_xlsx(report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    about = workbook.active
    about.title = _("About")[:31]
    used = {about.title}
    for row in _about_rows(report):
        about.append(row)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 110
    for cell in about["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for _section, table in report.tables():
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.export_header())
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.export_rows():
            sheet.append([value for value, _format in row])
            for cell, (_value, number_format) in zip(sheet[sheet.max_row], row, strict=False):
                if number_format:
                    cell.number_format = number_format
        if table.caption:
            sheet.append([])
            sheet.append([table.caption])
        sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The pseudonymised dataset


def pseudonym(organisation, citizen_public_id) -> str:
    key = hashlib.sha256(
        b"brobyg-report-pseudonym:" + settings.FIELD_ENCRYPTION_KEYS[-1].encode()
    ).digest()
    message = f"{organisation.public_id}:{citizen_public_id}".encode()
    return "P-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


DICTIONARY = [
    (
        "pseudonym",
        "text",
        gettext_lazy("The citizen's stable pseudonym: the same in every export."),
    ),
    (
        "programme",
        "text",
        gettext_lazy("The programme the answer was given in; empty when not known."),
    ),
    (
        "questionnaire",
        "text",
        gettext_lazy("The questionnaire's code (e.g. brobyg-chime, who-5)."),
    ),
    ("version", "text", gettext_lazy("The questionnaire's version.")),
    (
        "timepoint",
        "text",
        gettext_lazy("baseline, followup_3m, followup_6m, end, or when asked by hand."),
    ),
    ("answered_on", "date", gettext_lazy("The day the answer was given (YYYY-MM-DD).")),
    ("mode", "text", gettext_lazy("self, assisted (with the peer), paper, or imported.")),
    ("scale", "text", gettext_lazy("total, or the domain the score is for.")),
    (
        "score",
        "number",
        gettext_lazy("The score as reported; empty when too many items were missing."),
    ),
    ("items_answered", "whole number", gettext_lazy("Items answered in this scale.")),
    ("items_missing", "whole number", gettext_lazy("Items left unanswered in this scale.")),
    ("prorated", "0/1", gettext_lazy("1 when the score was prorated from the answered items.")),
]


def _evaluation_consents(organisation) -> dict[int, bool]:
    """Each citizen's latest answer on use in evaluation."""
    latest: dict[int, bool] = {}
    for citizen_id, given in (
        Consent.objects.filter(organisation=organisation, purpose=ConsentPurpose.EVALUATION)
        .order_by("recorded_at", "pk")
        .values_list("citizen_id", "given")
    ):
        latest[citizen_id] = given
    return latest


def _may_use(consents, citizen_id: int, legal_basis: str | None, public_task_citizens) -> bool:
    """Individual data leaves the organisation only with a yes to evaluation, or, without any
    answer, where the programme works on a public task (for an answer without a programme: a
    programme the citizen asked for support in); a withdrawal always excludes."""
    if citizen_id in consents:
        return consents[citizen_id]
    if legal_basis is None:
        return citizen_id in public_task_citizens
    return legal_basis == LegalBasis.PUBLIC_TASK


def render_dataset(*, organisation, programmes, start, end, progress=None) -> bytes:
    scores = Score.objects.filter(
        organisation=organisation,
        response__respondent_kind=RespondentKind.CITIZEN,
        response__completed_at__isnull=False,
        response__answered_on__range=(start, end),
        response__citizen__isnull=False,
    )
    if programmes:
        # As in the report: a response without a programme belongs to the programmes the
        # citizen asked for support in.
        asked = SupportRequest.objects.filter(
            organisation=organisation, programme__in=programmes
        ).values("citizen_id")
        scores = scores.filter(
            Q(response__programme__in=programmes)
            | Q(response__programme__isnull=True, response__citizen_id__in=asked)
        )
    consents = _evaluation_consents(organisation)
    public_task = SupportRequest.objects.filter(
        organisation=organisation, programme__legal_basis=LegalBasis.PUBLIC_TASK
    )
    if programmes:
        public_task = public_task.filter(programme__in=programmes)
    public_task_citizens = set(public_task.values_list("citizen_id", flat=True))
    rows = scores.order_by("response__answered_on", "response_id", "pk").values_list(
        "response__citizen_id",
        "response__citizen__public_id",
        "response__programme__name",
        "response__programme__legal_basis",
        "response__instrument__code",
        "response__instrument__version",
        "response__timepoint",
        "response__answered_on",
        "response__mode",
        "scale",
        "value",
        "answered",
        "missing",
        "prorated",
    )
    data = io.StringIO()
    writer = csv.writer(data)
    writer.writerow([name for name, _kind, _text in DICTIONARY])
    included, said_no, no_yes = set(), set(), set()
    for done, row in enumerate(rows.iterator(chunk_size=2000)):
        citizen_id, public_id, programme, legal_basis, *rest = row
        if not _may_use(consents, citizen_id, legal_basis, public_task_citizens):
            (said_no if consents.get(citizen_id) is False else no_yes).add(citizen_id)
            continue
        included.add(citizen_id)
        code, version, timepoint, day, mode, scale, value, answered, missing, prorated = rest
        writer.writerow(
            [
                pseudonym(organisation, public_id),
                programme or "",
                code,
                version,
                timepoint,
                day.isoformat() if day else "",
                mode,
                scale,
                "" if value is None else value,
                answered,
                missing,
                int(prorated),
            ]
        )
        if progress is not None and done % 5000 == 0:
            progress(min(80, 10 + done // 5000))
    dictionary = io.StringIO()
    dict_writer = csv.writer(dictionary)
    dict_writer.writerow([_("column"), _("type"), _("meaning")])
    dict_writer.writerows([name, kind, str(text)] for name, kind, text in DICTIONARY)
    readme = "\n".join(
        [
            _("Brobyg pseudonymised dataset"),
            _("Organisation: %(name)s") % {"name": organisation.name},
            _("Period: %(start)s - %(end)s") % {"start": start.isoformat(), "end": end.isoformat()},
            _("data.csv: one row per score of a citizen's completed questionnaire."),
            _("dictionary.csv: what each column means."),
            _(
                "No names, contact details, free text or internal ids. A citizen is included only "
                "with their consent to use in evaluation, or, without any answer on it, for "
                "answers given in a programme that works on a public task; a withdrawal always "
                "excludes."
            ),
            _(
                "Counts below: 1 to 4 are written <5, every other count is rounded to the "
                "nearest multiple of 5, as in the report."
            ),
            _("Citizens in data.csv: %(n)s.") % {"n": count_text(len(included))},
            _("Left out because they said no to use in evaluation: %(n)s.")
            % {"n": count_text(len(said_no))},
            _(
                "Left out because they have given no yes where one is needed (a programme that "
                "works on consent, or answers that belong to no programme): %(n)s."
            )
            % {"n": count_text(len(no_yes))},
            _("Pre/post change without a control group is not proof of effect."),
        ]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", "\ufeff" + data.getvalue())
        archive.writestr("dictionary.csv", "\ufeff" + dictionary.getvalue())
        archive.writestr("README.txt", readme)
    return buffer.getvalue()
