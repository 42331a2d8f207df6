"""The method text on the page and in the PDF is made from the settings the statistics use,
and the pairing rules from the timepoints the query uses."""

import re
from datetime import date

from django.urls import reverse
from django.utils import translation

from brobyg.outcomes.schedules import timepoint_label
from brobyg.reports import change, statistics
from brobyg.reports.change import Filter
from brobyg.reports.exports import pdf_document
from brobyg.reports.models import ReportSnapshot
from brobyg.reports.report import build_report
from brobyg.reports.section_outcomes import instrument_change
from brobyg.reports.tests.test_report_pages import PERIOD, client_for, import_chime
from brobyg.reports.texts import method_text, pairing_texts, reliable_text
from brobyg.test import in_org


def _pdf_text(report) -> str:
    document = pdf_document(report)

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", []) or []:
            yield from texts(child)

    return " ".join(" ".join(texts(page._page_box)) for page in document.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", ""))


def test_the_page_and_the_pdf_state_the_method_the_code_uses(
    client, instruments, personas, monkeypatch
):
    import_chime(personas.org_a, 8)  # 8 pairs, 4 of them with a change that is not zero
    for bound, method in ((200, statistics.EXACT), (3, statistics.NORMAL)):
        monkeypatch.setattr(statistics, "WILCOXON_EXACT_MAX", bound)
        with in_org(personas.org_a):
            ReportSnapshot.objects.all().delete()  # the page would show the first figures again
        page = client_for(client, personas.maja).get(reverse("reports_report"), PERIOD)
        html = _flat(page.content.decode().replace("&#x27;", "'"))
        with in_org(personas.org_a):
            report = build_report(
                organisations=[personas.org_a],
                start=date(2025, 1, 1),
                end=date(2025, 12, 31),
                suppress=True,
            )
            pdf = _flat(_pdf_text(report))
        stated = f"for up to {bound} changes that are not zero"
        assert stated in method_text()
        assert stated in html and stated in pdf
        assert f"fewer than {statistics.REFERENCE_SD_BELOW} pairs" in reliable_text()
        assert f"fewer than {statistics.REFERENCE_SD_BELOW} pairs" in html
        # And the figures were made by that method.
        flt = Filter((personas.org_a.pk,), (), date(2025, 1, 1), date(2025, 12, 31))
        with in_org(personas.org_a):
            result = instrument_change(flt, "brobyg-chime")["total"]
        assert result.wilcoxon_method == method


def test_the_page_and_the_pdf_state_the_pairing_rules_the_query_uses(client, instruments, personas):
    import_chime(personas.org_a, 8)
    translation.activate("en")  # the page's language (client_for); the fixture resets it
    for follow_up in change.FOLLOW_UPS:
        rules = [_flat(text) for text in pairing_texts(follow_up)]
        start = timepoint_label(change.START_TIMEPOINT)
        # Made from the query's own timepoints.
        assert f"marked “{start}”" in rules[1]
        if follow_up != change.LAST:
            assert f"marked “{timepoint_label(follow_up)}”" in rules[2]
        assert "on a later day than the start answer" in rules[2]
        page = client_for(client, personas.maja).get(
            reverse("reports_report"), {**PERIOD, "follow_up": follow_up}
        )
        html = _flat(page.content.decode().replace("&#x27;", "'"))
        with in_org(personas.org_a):
            report = build_report(
                organisations=[personas.org_a],
                start=date(2025, 1, 1),
                end=date(2025, 12, 31),
                follow_up=follow_up,
                suppress=True,
            )
            pdf = _flat(_pdf_text(report))
        assert "How the figures are made" in html and "How the figures are made" in pdf
        for rule in rules:
            assert rule in html and rule in pdf, rule
