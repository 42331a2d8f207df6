"""The method text on the page and in the PDF is made from the settings the statistics use."""

import re
from datetime import date

from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.reports import statistics
from brobyg.reports.change import Filter
from brobyg.reports.exports import pdf_document
from brobyg.reports.report import build_report, instrument_change, method_text, reliable_text
from brobyg.reports.tests.test_report_pages import PERIOD, client_for, import_chime


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
        page = client_for(client, personas.maja).get(reverse("reports_report"), PERIOD)
        html = _flat(page.content.decode().replace("&#x27;", "'"))
        with scopes_disabled():
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
        with scopes_disabled():
            result = instrument_change(flt, "brobyg-chime")["total"]
        assert result.wilcoxon_method == method
