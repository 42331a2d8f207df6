"""The citizens' change on each questionnaire, and paid and volunteer peer support side by side."""

from django.utils.translation import gettext as _

from brobyg.outcomes import selectors as outcome_selectors
from brobyg.outcomes.definitions import TOTAL
from brobyg.reports import change, charts, selectors, statistics
from brobyg.reports.cells import (
    CHANGE_COLUMNS,
    change_cells,
    column_pairs,
    scale_label,
    share_cells,
)
from brobyg.reports.change import Filter
from brobyg.reports.tables import (
    Cell,
    Section,
    Table,
    hidden_cell,
    n_cell,
    number,
    small,
)
from brobyg.reports.texts import (
    CHIME,
    R_KINDS,
    SD_SOURCES,
    method_text,
    pairing_texts,
    reliable_text,
)


def reliability_of(spec) -> tuple[float | None, str]:
    """The r of the reliable-change index: test-retest where published, else Cronbach's alpha."""
    reliability = spec.reliability or {}
    for kind in ("test_retest", "internal_consistency"):
        if reliability.get(kind) is not None:
            return reliability[kind], kind
    return None, ""


def changes_from_table(spec, rows) -> dict:
    """Every scale's paired change from the database's frequency table. Reliable and
    meaningful change are for the total, where the instrument publishes what they need."""
    reliability = spec.reliability or {}
    r, r_kind = reliability_of(spec)
    results = {}
    for scale in spec.score_scales:
        t1, t2 = change.expand(rows, scale)
        total = scale == TOTAL
        results[scale] = statistics.paired_change(
            t1,
            t2,
            reliability=r if total else None,
            r_kind=r_kind,
            sem=reliability.get("sem") if total else None,
            reference_sd=reliability.get("reference_sd") if total else None,
            meaningful=spec.meaningful_change if total else None,
            better=spec.better,
        )
    return results


def instrument_change(flt: Filter, code: str, follow_up: str = change.LAST) -> dict:
    """The citizens' change on one questionnaire, per scale (what the report shows)."""
    return changes_from_table(
        outcome_selectors.current_instrument(code).spec, change.change_table(flt, code, follow_up)
    )


def instrument_section_tables(flt, code, follow_up, organisation, suppress, language):
    instrument = outcome_selectors.current_instrument(code)
    spec = instrument.spec
    title = outcome_selectors.instrument_texts(instrument, organisation).title_in(language)
    rows = change.change_table(flt, code, follow_up)
    reliability = spec.reliability or {}
    tables, texts = [], []
    table = Table(
        key=f"change-{code}",
        title=_("Change on %(questionnaire)s") % {"questionnaire": title},
        columns=column_pairs(CHANGE_COLUMNS),
        caption=_("Score range %(low)s to %(high)s; higher is better.")
        % {"low": number(spec.scoring.range[0], 0), "high": number(spec.scoring.range[1], 0)}
        if spec.better == "higher"
        else _("Score range %(low)s to %(high)s; lower is better.")
        % {"low": number(spec.scoring.range[0], 0), "high": number(spec.scoring.range[1], 0)},
    )
    reliable_table = Table(
        key=f"reliable-{code}",
        title=_("Reliable and meaningful change on %(questionnaire)s") % {"questionnaire": title},
        columns=[],
    )
    results = changes_from_table(spec, rows)
    for scale, result in results.items():
        table.add(scale_label(spec, scale, language), **change_cells(result, suppress=suppress))
    total = results[TOTAL]
    columns = []
    row: dict = {"n": n_cell(total.n_paired, suppress=suppress)}
    hide_all = suppress and small(total.n_paired)
    if total.reliable is not None:
        columns += [
            ("criterion", str(_("Reliable change is more than"))),
            ("rel_improved", str(_("Reliably improved"))),
            ("rel_unchanged", str(_("No reliable change"))),
            ("rel_deteriorated", str(_("Reliably deteriorated"))),
        ]
        columns += [("r", str(_("r used"))), ("sd", str(_("SD used")))]
        reliable = total.reliable
        row["r"] = (
            Cell(reliable.r, f"{number(reliable.r)} ({R_KINDS[reliable.r_kind]})")
            if reliable.r is not None
            else Cell(note=str(_("published standard error of measurement")))
        )
        row["sd"] = (
            Cell(reliable.sd, f"{number(reliable.sd)} ({SD_SOURCES[reliable.sd_source]})")
            if reliable.sd is not None
            else Cell()
        )
        row["criterion"] = Cell(reliable.criterion, number(reliable.criterion))
        if hide_all:
            # Computed from fewer than 5 people: the criterion and the SD of the start scores
            # would tell how far apart their start scores are.
            row.update({key: hidden_cell() for key, _label in columns if key not in ("r", "sd")})
            if reliable.sd_source == "sample":
                row["sd"] = hidden_cell()
        else:
            row.update(
                share_cells(
                    {
                        "rel_improved": reliable.improved,
                        "rel_unchanged": reliable.unchanged,
                        "rel_deteriorated": reliable.deteriorated,
                    },
                    reliable.n,
                    suppress=suppress,
                )
            )
    elif statistics.NO_SPREAD in total.not_computable:
        texts.append(
            _(
                "%(questionnaire)s: every start score is the same and no SD is published, so "
                "reliable change is not computed."
            )
            % {"questionnaire": title}
        )
    elif statistics.NO_RELIABILITY in total.not_computable:
        texts.append(
            _("%(questionnaire)s: no published reliability, so reliable change is not available.")
            % {"questionnaire": title}
        )
    if total.meaningful is not None:
        meaningful = total.meaningful
        columns += [
            (
                "mc_improved",
                str(
                    _("Improved by at least %(points)s points")
                    % {"points": number(meaningful.threshold, 0)}
                ),
            ),
            (
                "mc_deteriorated",
                str(
                    _("Worse by at least %(points)s points")
                    % {"points": number(meaningful.threshold, 0)}
                ),
            ),
        ]
        if hide_all:
            row.update(mc_improved=hidden_cell(), mc_deteriorated=hidden_cell())
        else:
            row.update(
                share_cells(
                    {
                        "mc_improved": meaningful.improved,
                        "mc_deteriorated": meaningful.deteriorated,
                        "mc_neither": meaningful.neither,
                    },
                    meaningful.n,
                    suppress=suppress,
                )
            )
            row.pop("mc_neither")
        if spec.meaningful_change_note:
            texts.append(f"{title}: {_(spec.meaningful_change_note)}")
    else:
        texts.append(
            _("%(questionnaire)s: no meaningful-change threshold is published.")
            % {"questionnaire": title}
        )
    tables.append(table)
    table.chart = charts.draw("change", table, title=table.title)
    if columns:
        reliable_table.columns = [("n", str(_("n paired"))), *columns]
        reliable_table.add(_("Total"), **row)
        if reliability.get("source"):
            reliable_table.caption = _("Source: %(source)s") % {"source": _(reliability["source"])}
        tables.append(reliable_table)
    return tables, texts, results


def citizens_outcomes(flt, follow_up, organisation, suppress, language) -> Section:
    section = Section(
        key="outcomes",
        title=_("Citizens: change"),
        methods=[*pairing_texts(follow_up), method_text(), reliable_text()],
    )
    codes = selectors.citizen_instrument_codes(flt)
    if not codes:
        section.texts.append(_("No citizen answered a questionnaire within the period."))
    for code in codes:
        tables, texts, _results = instrument_section_tables(
            flt, code, follow_up, organisation, suppress, language
        )
        section.tables += tables
        section.texts += texts
    return section


def paid_and_volunteer(flt, follow_up, organisation, suppress, language) -> Section | None:
    if CHIME not in selectors.citizen_instrument_codes(flt):
        return None
    instrument = outcome_selectors.current_instrument(CHIME)
    spec = instrument.spec
    section = Section(
        key="paid_volunteer",
        title=_("Paid and volunteer peer support side by side"),
        texts=[
            _(
                "Change on the CHIME check-in for citizens whose match or course was with a paid "
                "peer, and for those with a volunteer peer. A citizen supported by both counts in "
                "both."
            )
        ],
    )
    kinds = [("paid", _("Paid")), ("volunteer", _("Volunteer"))]
    table = Table(
        key="paid-volunteer",
        title=_("CHIME change by kind of peer support"),
        columns=[
            (f"{key}_{column}", f"{label}: {heading}")
            for key, label in kinds
            for column, heading in (
                ("n", _("n paired")),
                ("change", _("mean change")),
                ("ci", _("95 % CI")),
            )
        ],
    )
    per_kind = {}
    for kind, _label in kinds:
        rows = change.change_table(Filter(**{**flt.__dict__, "peer_kind": kind}), CHIME, follow_up)
        per_kind[kind] = rows
    if not any(
        statistics.paired_change(*change.expand(per_kind[kind], TOTAL)).n_paired
        for kind, _label in kinds
    ):
        section.texts.append(
            _(
                "Nothing to compare: no citizen who answered at both times had a match or a "
                "course with a peer."
            )
        )
        return section
    for scale in spec.score_scales:
        cells = {}
        for kind, _label in kinds:
            result = statistics.paired_change(*change.expand(per_kind[kind], scale))
            shown = change_cells(result, suppress=suppress)
            cells[f"{kind}_n"] = shown["n"]
            cells[f"{kind}_change"] = shown.get("change", Cell())
            cells[f"{kind}_ci"] = shown.get("ci", Cell())
        table.add(scale_label(spec, scale, language), **cells)
    table.chart = charts.draw(
        "grouped", table, kinds=[[key, str(label)] for key, label in kinds], title=table.title
    )
    section.tables.append(table)
    return section
