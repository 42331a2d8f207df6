"""The organisation's staff recovery pulse, and the citizens' consented own words."""

from django.utils.translation import gettext as _

from brobyg.outcomes import selectors as outcome_selectors
from brobyg.outcomes.schedules import timepoint_label
from brobyg.reports import activity, charts, trends
from brobyg.reports.cells import scale_label
from brobyg.reports.tables import (
    Cell,
    Section,
    Table,
    hidden_cell,
    n_cell,
    number,
    small,
)


def organisation_section(flt, suppress, language) -> Section | None:
    points, domains = trends.staff_pulse_trend(flt)
    if not points:
        return None
    instrument = outcome_selectors.current_instrument(trends.STAFF_PULSE)
    spec = instrument.spec
    section = Section(
        key="organisation",
        title=_("Organisation: staff recovery pulse"),
        texts=[
            _(
                "The staff's recovery pulse by round: mean from 0 to 4 (higher is more "
                "recovery-oriented), for the whole organisation only."
            )
        ],
    )
    table = Table(
        key="staff-pulse",
        title=_("Staff recovery pulse by round"),
        columns=[("mean", str(_("Mean total"))), ("n", str(_("n answers")))]
        + [(domain, scale_label(spec, domain, language)) for domain in domains],
    )
    for point in points:
        hide = suppress and small(point.n)
        cells = {
            "mean": hidden_cell() if hide else Cell(point.mean, number(point.mean)),
            "n": n_cell(point.n, suppress=suppress),
        }
        for domain in domains:
            mean, n = point.domains.get(domain, (None, 0))
            cells[domain] = (
                hidden_cell() if suppress and (small(n) or hide) else Cell(mean, number(mean))
            )
        table.add(timepoint_label(point.label), **cells)
    table.chart = charts.draw("trend", table, title=table.title, low=0, high=4)
    section.tables.append(table)
    return section


def quotes_section(flt) -> Section | None:
    words = activity.quotes(flt)
    if not words:
        return None
    section = Section(
        key="quotes",
        title=_("In the citizens' own words"),
        texts=[
            _(
                "Citizens' own words about the end of their course, from those who consented to "
                "being quoted in reports. Shown without name, programme or date."
            )
        ],
    )
    table = Table(key="quotes", title=_("Quotes"), columns=[])
    for text in words:
        table.add(text)
    section.tables.append(table)
    return section
