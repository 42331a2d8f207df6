"""The evaluation report for a scope: three levels (citizens, peers, organisation), built as
tables (``tables.py``) that the page, the PDF and the CSV/XLSX files all show.

The report only holds figures about groups; names, contact details and free text never enter it.
Where ``suppress`` is set (evaluators, and every file that can leave the organisation), small
cells are suppressed as ``tables.py`` describes.

The sections live in ``section_*.py``, their cells in ``cells.py`` and their texts in
``texts.py``.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone, translation

from brobyg.lib.replica import replica_reads
from brobyg.reports import change, extensions, selectors
from brobyg.reports.change import Filter
from brobyg.reports.section_activity import citizens_activity
from brobyg.reports.section_organisation import organisation_section, quotes_section
from brobyg.reports.section_outcomes import citizens_outcomes, paid_and_volunteer
from brobyg.reports.section_peers import peers_section
from brobyg.reports.tables import (
    SUPPRESSION_TEXT,
    Section,
)
from brobyg.reports.texts import CAVEAT, FOLLOW_UP_LABELS


@dataclass
class Report:
    organisation_names: list[str]
    programme_names: list[str]
    start: date
    end: date
    follow_up: str
    suppressed: bool
    generated_at: object
    sections: list[Section] = field(default_factory=list)

    @property
    def caveat(self) -> str:
        return str(CAVEAT)

    @property
    def suppression_text(self) -> str:
        return str(SUPPRESSION_TEXT)

    @property
    def follow_up_label(self) -> str:
        return str(FOLLOW_UP_LABELS[self.follow_up])

    def tables(self):
        for section in self.sections:
            yield from ((section, table) for table in section.tables)


def build_report(
    *,
    organisations,
    programmes=(),
    start: date,
    end: date,
    follow_up: str = change.LAST,
    suppress: bool,
    quotes: bool = False,
    progress=None,
) -> Report:
    """The report for organisations (and optionally some of their programmes) and a period.

    ``quotes`` adds the citizens' consented own words: free text, so never for evaluators.
    ``progress(percent)`` is called as the sections are done (for the background task)."""
    language = translation.get_language() or "da"
    organisations = list(organisations)
    flt = Filter(
        organisation_ids=tuple(organisation.pk for organisation in organisations),
        programme_ids=tuple(programme.pk for programme in programmes),
        start=start,
        end=end,
    )
    organisation = organisations[0] if len(organisations) == 1 else None
    report = Report(
        organisation_names=[organisation.name for organisation in organisations],
        programme_names=[programme.name for programme in programmes],
        start=start,
        end=end,
        follow_up=follow_up,
        suppressed=suppress,
        generated_at=timezone.now(),
    )
    steps = [
        lambda: citizens_outcomes(flt, follow_up, organisation, suppress, language),
        lambda: paid_and_volunteer(flt, follow_up, organisation, suppress, language),
        lambda: citizens_activity(flt, suppress),
        lambda: peers_section(flt, suppress),
        lambda: organisation_section(flt, suppress, language),
        *[
            lambda build=build: build(flt, suppress, language)
            for build in extensions.organisation_sections()
        ],
        lambda: quotes_section(flt) if quotes else None,
    ]
    for number_done, step in enumerate(steps, start=1):
        section = step()
        if section is not None:
            report.sections.append(section)
        if progress is not None:
            progress(round(90 * number_done / len(steps)))
    return report


def report_for_request(request, choices: dict, *, quotes: bool) -> Report:
    """The report a member (or an API client) asked for with the scope form's ``choices``, for
    their own organisation, with the suppression their permissions call for, read from the
    replica where one is configured. ``quotes`` only where the caller may show free text."""
    with replica_reads():
        return build_report(
            organisations=[request.org],
            programmes=list(choices["programmes"]),
            start=choices["start"],
            end=choices["end"],
            follow_up=choices["follow_up"],
            suppress=selectors.report_suppressed(request),
            quotes=quotes,
        )
