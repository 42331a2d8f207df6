"""The evaluation report for a scope: three levels (citizens, peers, organisation), built as
tables (``tables.py``) that the page, the PDF and the CSV/XLSX files all show.

The report only holds figures about groups; names, contact details and free text never enter it.
Where ``suppress`` is set (evaluators, and every file that can leave the organisation), small
cells are suppressed as ``tables.py`` describes.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext

from brobyg.outcomes import selectors as outcome_selectors
from brobyg.outcomes.definitions import TOTAL
from brobyg.outcomes.models import Instrument, RespondentKind, Response
from brobyg.outcomes.schedules import timepoint_label
from brobyg.peercare.models import PathwayKind
from brobyg.reports import activity, change, charts, extensions, statistics, trends
from brobyg.reports.change import Filter
from brobyg.reports.tables import (
    SMALL,
    SUPPRESSION_TEXT,
    Cell,
    Section,
    Table,
    count,
    hidden_cell,
    interval,
    n_cell,
    number,
    p_value,
    percent,
    share_cell,
    shown_count,
    shown_share,
    small,
    suppressed_cell,
)
from brobyg.support.models import EndReason, SessionForm, SessionKind

CHIME = "brobyg-chime"
# Citizens' questionnaires first in this order, then any other by code.
CITIZEN_ORDER = [CHIME, "who-5", "swemwbs", "qpr-15", "brief-inspire-o"]

CAVEAT = gettext_lazy(
    "These figures compare the same citizens before and after. Without a control group, a change "
    "is not proof that the peer support caused it: people also change for other reasons, and "
    "those who answer again may differ from those who do not."
)
# The pairing rules (``change.py``), written with the timepoints the query uses.
PAIRING_WHO = gettext_lazy(
    "Who counts: citizens with at least one answer within the period, except those who withdrew "
    "their consent to evaluation. Answers after the period are not used."
)
PAIRING_START = {
    change.LAST: gettext_lazy(
        "Start: the citizen's first answer marked “%(start)s”, or else their first answer; it "
        "may be before the period. A scale without a valid score in that answer has no start "
        "score."
    ),
    "timepoint": gettext_lazy(
        "Start: the citizen's first answer marked “%(start)s”; it may be before the period. A "
        "scale without a valid score in that answer has no start score."
    ),
}
PAIRING_FOLLOW_UP = {
    change.LAST: gettext_lazy(
        "Follow-up, for each scale: the last valid score within the period, from an answer given "
        "on a later day than the start answer (never before it or on the same day), so an answer "
        "without a valid score does not hide an earlier one."
    ),
    "timepoint": gettext_lazy(
        "Follow-up, for each scale: the first valid score from an answer marked “%(follow_up)s” "
        "given on a later day than the start answer (never before it or on the same day). The "
        "pair belongs to the period in which that answer was given, so it counts in one period "
        "only; a citizen without a start answer has no follow-up."
    ),
}


def pairing_texts(follow_up: str) -> list[str]:
    """The rules by which ``change.change_table`` pairs the answers, in words."""
    kind = change.LAST if follow_up == change.LAST else "timepoint"
    labels = {
        "start": timepoint_label(change.START_TIMEPOINT),
        "follow_up": "" if follow_up == change.LAST else timepoint_label(follow_up),
    }
    return [
        str(PAIRING_WHO),
        str(PAIRING_START[kind]) % labels,
        str(PAIRING_FOLLOW_UP[kind]) % labels,
    ]


FOLLOW_UP_LABELS = {
    change.LAST: gettext_lazy("Last answer in the period"),
    "followup_3m": gettext_lazy("After 3 months"),
    "followup_6m": gettext_lazy("After 6 months"),
    "end": gettext_lazy("At the end"),
}
# The method text is made from the settings the statistics use (``statistics.py``), so the two
# cannot say different things.
METHOD_TEXT = gettext_lazy(
    "Change = follow-up minus start, for the citizens with both, computed exactly from the stored "
    "scores (equal changes are equal, a change of zero is zero). Confidence interval "
    "(%(confidence)s %%) from the t distribution; p from the paired t-test and from the Wilcoxon "
    "signed-rank test. Wilcoxon: changes of zero are left out before ranking (Wilcoxon's rule) "
    "and equal changes share their mean rank; p is exact, from the distribution of the signed "
    "ranks given these ranks, for up to %(exact_max)s changes that are not zero, and from the "
    "normal approximation with tie correction (no continuity correction) for more. Cohen's dz = "
    "mean change / standard deviation of the changes, with an exact interval (%(confidence)s %%) "
    "from the noncentral t distribution. When everyone changed by the same amount there is no "
    "spread, so no interval, t-test or dz."
)
RELIABLE_TEXT = gettext_lazy(
    "Reliable change (Jacobson & Truax): a citizen's change counts as reliable when it is larger "
    "than %(z)s × √2 × SE, where SE = SD × √(1 − r), or the questionnaire's published standard "  # noqa: RUF001
    "error of measurement. r is the questionnaire's test-retest reliability where one is "
    "published, else its internal consistency (Cronbach's alpha). SD is the questionnaire's "
    "published SD with fewer than %(below)s pairs, else the SD of the start scores; when every "
    "start score is the same and no SD is published, reliable change is not computed. The table "
    "names the r and SD used."
)


def method_text() -> str:
    return str(METHOD_TEXT) % {
        "confidence": number(100 * statistics.CONFIDENCE, 0),
        "exact_max": statistics.WILCOXON_EXACT_MAX,
    }


def reliable_text() -> str:
    return str(RELIABLE_TEXT) % {
        "z": number(float(statistics.RELIABLE_Z)),
        "below": statistics.REFERENCE_SD_BELOW,
    }


# The meaningful-change notes and sources of the shipped questionnaires that have words in them,
# marked here so they are translated: a definition's text cannot change without a new version.
# Those of other definitions are shown as written.
SHIPPED_TEXTS = (
    gettext_noop("A 10-point difference on the 0-100 score (Topp et al. 2015)."),
    gettext_noop(
        "Between 1 and 3 points depending on the standard used (Shah et al. 2018); Brobyg uses 3."
    ),
    gettext_noop(
        "8 points is a clinically relevant change (Moeller SB et al. Soc Psychiatry Psychiatr "
        "Epidemiol 2025, doi:10.1007/s00127-025-02948-7)."
    ),
    gettext_noop("Moeller SB et al. Front Psychiatry 2024;15:1327020 (Danish outpatients)"),
    gettext_noop("Topp et al. 2015, Psychother Psychosom 84:167-176 (systematic review)"),
)
REASONS = {
    statistics.TOO_FEW: gettext_lazy("not computable: fewer than 2 pairs"),
    statistics.NO_VARIATION: gettext_lazy("not computable: everyone changed equally"),
    statistics.ALL_ZERO: gettext_lazy("not computable: no one changed"),
}
R_KINDS = {
    "test_retest": gettext_lazy("test-retest"),
    "internal_consistency": gettext_lazy("internal consistency, Cronbach's alpha"),
}
SD_SOURCES = {
    "sample": gettext_lazy("SD of the start scores"),
    "reference": gettext_lazy("published SD"),
}


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


def _why(result) -> str:
    for reason in result.not_computable:
        if reason in REASONS:
            return str(REASONS[reason])
    return ""


def _change_cells(result, *, suppress: bool) -> dict:
    cells = {
        "n_t1": n_cell(result.n_t1, suppress=suppress),
        "n_t2": n_cell(result.n_t2, suppress=suppress),
        "n": n_cell(result.n_paired, suppress=suppress),
    }
    if suppress and small(result.n_paired):
        for key in ("mean_t1", "mean_t2", "change", "ci", "t_p", "w_p", "dz"):
            cells[key] = hidden_cell()
        return cells
    why = _why(result)
    cells.update(
        mean_t1=Cell(result.mean_t1, number(result.mean_t1)),
        mean_t2=Cell(result.mean_t2, number(result.mean_t2)),
        change=Cell(result.mean_change, number(result.mean_change), note=why),
        ci=Cell(
            (result.ci_low, result.ci_high) if result.ci_low is not None else None,
            interval(result.ci_low, result.ci_high),
            note=why,
        ),
        t_p=_p_cell(result.t_p, why),
        w_p=_p_cell(result.wilcoxon_p, why),
        dz=Cell(
            result.dz,
            _dz_text(result),
            note=why,
            interval=(result.dz_low, result.dz_high) if result.dz is not None else None,
        ),
    )
    return cells


# Below this a p-value is beyond double precision (it may be computed as 0): files say "<1e-300".
P_FLOOR = 1e-300


def _p_cell(p: float | None, why: str) -> Cell:
    value = f"<{P_FLOOR:g}" if p is not None and p < P_FLOOR else p
    return Cell(value, p_value(p), note=why)


def _dz_text(result) -> str:
    if result.dz is None:
        return ""
    if result.dz_low is None:
        return f"{number(result.dz)} ({_('no exact interval found')})"
    return f"{number(result.dz)} ({interval(result.dz_low, result.dz_high)})"


def _share_cells(counts: dict[str, int], n: int, *, suppress: bool) -> dict:
    """Counts of a breakdown with their shares; small counts suppressed, with a partner where
    needed (``_protect_parts``)."""
    cells = {}
    for key, value in counts.items():
        share = shown_share(value, n, suppress=suppress)
        shown = shown_count(value, suppress=suppress)
        cells[key] = {
            "value": suppressed_cell(value)
            if suppress and small(value)
            else Cell(shown, f"{count(shown)} ({percent(share)})", exact_count=value)
        }
    if suppress:
        _protect_parts(cells, [tuple(counts)])
    return {key: row["value"] for key, row in cells.items()}


CHANGE_COLUMNS = [
    ("n_t1", gettext_lazy("n at start")),
    ("n_t2", gettext_lazy("n at follow-up")),
    ("n", gettext_lazy("n paired")),
    ("mean_t1", gettext_lazy("Mean at start")),
    ("mean_t2", gettext_lazy("Mean at follow-up")),
    ("change", gettext_lazy("Mean change")),
    ("ci", gettext_lazy("95 % CI")),
    ("t_p", gettext_lazy("p (t-test)")),
    ("w_p", gettext_lazy("p (Wilcoxon)")),
    ("dz", gettext_lazy("Cohen's dz (95 % CI)")),
]


def _columns(columns) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in columns]


def _scale_label(spec, scale: str, language: str) -> str:
    if scale == TOTAL:
        return _("Total")
    labels = spec.domains.get(scale, {})
    return labels.get(language) or labels.get("en") or scale


def _current(code: str) -> Instrument | None:
    return Instrument.objects.filter(code=code).order_by("-is_current", "-loaded_at", "-pk").first()


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
    return changes_from_table(_current(code).spec, change.change_table(flt, code, follow_up))


def _instrument_section_tables(flt, code, follow_up, organisation, suppress, language):
    instrument = _current(code)
    spec = instrument.spec
    title = outcome_selectors.instrument_texts(instrument, organisation).title_in(language)
    rows = change.change_table(flt, code, follow_up)
    reliability = spec.reliability or {}
    tables, texts = [], []
    table = Table(
        key=f"change-{code}",
        title=_("Change on %(questionnaire)s") % {"questionnaire": title},
        columns=_columns(CHANGE_COLUMNS),
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
        table.add(_scale_label(spec, scale, language), **_change_cells(result, suppress=suppress))
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
                _share_cells(
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
                _share_cells(
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
    table.chart = charts.change_chart(table, title=table.title)
    if columns:
        reliable_table.columns = [("n", str(_("n paired"))), *columns]
        reliable_table.add(_("Total"), **row)
        if reliability.get("source"):
            reliable_table.caption = _("Source: %(source)s") % {"source": _(reliability["source"])}
        tables.append(reliable_table)
    return tables, texts, results


def _citizen_codes(flt: Filter) -> list[str]:
    responses = Response.objects.filter(
        organisation__in=flt.organisation_ids,
        respondent_kind=RespondentKind.CITIZEN,
        completed_at__isnull=False,
        answered_on__range=(flt.start, flt.end),
    )
    if flt.programme_ids:
        responses = responses.filter(
            Q(programme__in=flt.programme_ids)
            | Q(
                programme__isnull=True,
                citizen__support_requests__programme__in=flt.programme_ids,
            )
        )
    codes = set(responses.values_list("instrument__code", flat=True).distinct())
    order = {code: position for position, code in enumerate(CITIZEN_ORDER)}
    return sorted(codes, key=lambda code: (order.get(code, len(order)), code))


def citizens_outcomes(flt, follow_up, organisation, suppress, language) -> Section:
    section = Section(
        key="outcomes",
        title=_("Citizens: change"),
        methods=[*pairing_texts(follow_up), method_text(), reliable_text()],
    )
    codes = _citizen_codes(flt)
    if not codes:
        section.texts.append(_("No citizen answered a questionnaire within the period."))
    for code in codes:
        tables, texts, _results = _instrument_section_tables(
            flt, code, follow_up, organisation, suppress, language
        )
        section.tables += tables
        section.texts += texts
    return section


def paid_and_volunteer(flt, follow_up, organisation, suppress, language) -> Section | None:
    if CHIME not in _citizen_codes(flt):
        return None
    instrument = _current(CHIME)
    spec = instrument.spec
    section = Section(
        key="paid_volunteer",
        title=_("Paid and volunteer peer support side by side"),
        texts=[
            _(
                "Change on the CHIME check-in for citizens who had an active match with a paid "
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
                "Nothing to compare: no citizen who answered at both times had an active match "
                "with a peer."
            )
        )
        return section
    for scale in spec.score_scales:
        cells = {}
        for kind, _label in kinds:
            result = statistics.paired_change(*change.expand(per_kind[kind], scale))
            shown = _change_cells(result, suppress=suppress)
            cells[f"{kind}_n"] = shown["n"]
            cells[f"{kind}_change"] = shown.get("change", Cell())
            cells[f"{kind}_ci"] = shown.get("ci", Cell())
        table.add(_scale_label(spec, scale, language), **cells)
    table.chart = charts.grouped_change_chart(
        table, [(key, str(label)) for key, label in kinds], title=table.title
    )
    section.tables.append(table)
    return section


ACTIVITY_LABELS = {
    "requests": gettext_lazy("Requests for support"),
    "reached": gettext_lazy("Requests reached (contacted or matched)"),
    "still_waiting": gettext_lazy("Requests still waiting"),
    "median_days": gettext_lazy("Days waiting, median"),
    "p90_days": gettext_lazy("Days waiting, 90th percentile"),
    "proposed": gettext_lazy("Matches proposed"),
    "started": gettext_lazy("Matches started"),
    "started_paid": gettext_lazy("Matches started with a paid peer"),
    "started_volunteer": gettext_lazy("Matches started with a volunteer peer"),
    "ended": gettext_lazy("Matches ended"),
}


ACTIVITY_LABELS.update(
    {
        "courses_started": gettext_lazy("Courses started"),
        "courses_started_paid": gettext_lazy("Courses started with a paid peer"),
        "courses_started_volunteer": gettext_lazy("Courses started with a volunteer peer"),
        "courses_ended": gettext_lazy("Courses ended"),
        "courses_live": gettext_lazy("Courses running at the period's end"),
        "sessions": gettext_lazy("Sessions held"),
        "session_hours": gettext_lazy("Hours in sessions"),
        "handovers_started": gettext_lazy("Hand-overs started"),
        "handovers_completed": gettext_lazy("Hand-overs completed (accepted)"),
        "communities_joined": gettext_lazy("Communities joined"),
        "community_citizens": gettext_lazy("Citizens who joined a community"),
        "group_sessions": gettext_lazy("Group sessions held"),
        "group_present": gettext_lazy("Present at group sessions (ticks of those listed)"),
        "group_headcount": gettext_lazy("Head-counts at open group sessions"),
        "drop_in_contacts": gettext_lazy("Drop-in contacts"),
        "drop_in_hours": gettext_lazy("Hours of drop-in"),
    }
)
CONNECTED_LABELS = {
    "handover": gettext_lazy("After a hand-over"),
    "community": gettext_lazy("After joining a community"),
}
# Rows whose value is a part of n, shown with the share.
SHARE_KEYS = {"handovers_completed", "group_present"}
# Parts that add up to a total shown beside them (a tuple of keys, or a prefix of keys).
PART_GROUPS = [
    ("started_paid", "started_volunteer"),
    ("courses_started_paid", "courses_started_volunteer"),
    ("reached", "still_waiting"),
    "end:",
    "form:",
    "kind:",
]


# Rows whose n is another row's value.
N_OF = {"median_days": "reached", "p90_days": "reached"}


def _protect_parts(cells_by_key: dict[str, dict], groups, column="value", also=()) -> None:
    """Complementary suppression over a total and its parts: where parts are hidden, the hidden
    ones must together hold at least 5 (or none at all), or the total minus the shown parts
    would tell a small number; while they do not, the smallest shown part that is not zero is
    hidden too (in ``column`` and the ``also`` columns of its row)."""
    for parts in groups:
        if isinstance(parts, str):
            keys = [key for key in cells_by_key if key.startswith(parts)]
        else:
            keys = [key for key in parts if key in cells_by_key]

        counts = {key: _exact_count(cells_by_key[key][column]) for key in keys}
        while True:
            hidden = [key for key in keys if cells_by_key[key][column].suppressed]
            hidden_sum = sum(counts[key] or 0 for key in hidden)
            shown = [
                key for key in keys if not cells_by_key[key][column].suppressed and counts[key]
            ]
            if not hidden or not shown or not (0 < hidden_sum < SMALL or len(hidden) == 1):
                break
            partner = min(shown, key=counts.__getitem__)
            for name in (column, *also):
                if name in cells_by_key[partner]:
                    cells_by_key[partner][name] = hidden_cell()


def _exact_count(cell: Cell):
    return cell.exact_count if cell.exact_count is not None else cell.value


def _activity_label(key: str) -> str:
    if key.startswith("end:"):
        code = key.split(":", 1)[1]
        return _("Ended: %(reason)s") % {"reason": EndReason(code).label}
    if key.startswith(("form:", "kind:")):
        field, code = key.split(":", 1)
        choices = SessionForm if field == "form" else SessionKind
        label = str(choices(code).label) if code in choices.values else code
        if field == "form":
            return _("Sessions in the form: %(form)s") % {"form": label}
        return _("Sessions of the kind: %(kind)s") % {"kind": label}
    return str(ACTIVITY_LABELS[key])


def _activity_table(key, title, rows, suppress) -> Table:
    table = Table(
        key=key,
        title=title,
        columns=[
            ("value", str(_("Value"))),
            ("n", str(_("n"))),
            ("share", str(pgettext("part of a whole", "Share"))),
        ]
        if any(row.key in SHARE_KEYS for row in rows)
        else [("value", str(_("Value"))), ("n", str(_("n")))],
    )
    cells_by_key = {}
    for row in rows:
        hide = suppress and small(row.n)
        if row.key.endswith(("_days", "_hours")):
            value = hidden_cell() if hide else Cell(row.value, number(row.value, 1))
        elif hide and not small(row.value):
            value = hidden_cell()
        else:
            value = n_cell(row.value, suppress=suppress)
        cells = {"value": value, "n": n_cell(row.n, suppress=suppress)}
        if row.key in SHARE_KEYS:
            share = shown_share(row.value, row.n, suppress=suppress)
            cells["share"] = hidden_cell() if value.suppressed or hide else share_cell(share)
        cells_by_key[row.key] = cells
    if suppress:
        _protect_parts(cells_by_key, PART_GROUPS, also=("n", "share"))
        for key, source in N_OF.items():
            if key in cells_by_key and cells_by_key[source]["value"].suppressed:
                cells_by_key[key]["n"] = hidden_cell()
    for row in rows:
        table.add(_activity_label(row.key), **cells_by_key[row.key])
    return table


def _connected_table(rows, suppress) -> Table:
    table = Table(
        key="connected",
        title=_("Started and still connected at 3 and 6 months"),
        columns=[
            ("recorded", str(_("Follow-ups recorded"))),
            ("started", str(_("Started"))),
            ("connected", str(_("Still connected"))),
            ("share", str(_("Share still connected"))),
        ],
    )
    by_group: dict[tuple[str, str], dict] = {}
    for row in rows:
        kind, months, what = row.key.split(":")
        group = by_group.setdefault((kind, months), {"recorded": row.n})
        group[what] = row.value
    for (kind, months), group in by_group.items():
        recorded, connected = group["recorded"], group.get("connected", 0)
        hide = suppress and small(recorded)
        share = shown_share(connected, recorded, suppress=suppress)
        cells = {
            "recorded": n_cell(recorded, suppress=suppress),
            "started": hidden_cell()
            if hide
            else n_cell(group.get("started", 0), suppress=suppress),
            "connected": hidden_cell() if hide else n_cell(connected, suppress=suppress),
        }
        cells["share"] = (
            hidden_cell() if hide or cells["connected"].suppressed else share_cell(share)
        )
        label = _("%(what)s, %(months)s months") % {
            "what": CONNECTED_LABELS[kind],
            "months": months,
        }
        table.add(label, **cells)
    return table


def citizens_activity(flt, suppress) -> Section:
    section = Section(
        key="activity",
        title=_("Citizens: activity"),
        texts=[
            _(
                "Days waiting: from the request to the first contact or the first proposed "
                "match, whichever came first, for the requests made within the period that have "
                "been reached. Requests not reached yet are counted as still waiting."
            ),
            _(
                "Hand-overs started: proposed from these organisations within the period; "
                "completed: of those, accepted by the receiving side. Connected at 3 and 6 "
                "months: the follow-ups recorded whose due date falls within the period."
            ),
            _(
                "Group attendance: ticks of the participants listed at the sessions held; open "
                "groups count heads instead. Drop-in: anonymous counts, no people behind them."
            ),
        ],
    )
    section.tables.append(
        _activity_table(
            "activity",
            _("Requests and matches"),
            activity.intake_rows(flt) + activity.matching_rows(flt),
            suppress,
        )
    )
    section.tables.append(
        _activity_table(
            "courses",
            _("Support courses and sessions"),
            activity.course_rows(flt) + activity.session_rows(flt),
            suppress,
        )
    )
    section.tables.append(
        _activity_table(
            "bridges",
            _("Hand-overs and communities"),
            activity.handover_rows(flt) + activity.community_rows(flt),
            suppress,
        )
    )
    connected = activity.connected_rows(flt)
    if connected:
        section.tables.append(_connected_table(connected, suppress))
    section.tables.append(
        _activity_table(
            "groups",
            _("Groups and drop-in"),
            activity.group_rows(flt) + activity.drop_in_rows(flt),
            suppress,
        )
    )
    return section


def _trend_table(key, title, points, suppress, *, people: bool) -> Table:
    columns = [("mean", str(_("Mean total"))), ("n", str(_("n answers")))]
    if people:
        columns.append(("people", str(_("n peers"))))
    table = Table(key=key, title=title, columns=columns)
    for point in points:
        hide = suppress and (small(point.n) or (people and small(point.people)))
        cells = {
            "mean": hidden_cell() if hide else Cell(point.mean, number(point.mean)),
            "n": n_cell(point.n, suppress=suppress),
        }
        if people:
            cells["people"] = n_cell(point.people, suppress=suppress)
        table.add(point.label, **cells)
    return table


def peers_section(flt, suppress) -> Section:
    section = Section(
        key="peers",
        title=_("Peers"),
        texts=[
            _(
                "Check-ins: the peers' own check-ins by month, mean total from 0 to 4 (higher is "
                "better). Only group means are shown, never one peer's answers."
            ),
            _(
                "Retention: peers registered before the period who had not ended then, and how "
                "many of them had not ended by the period's end (from each peer's current status "
                "and when it last changed)."
            ),
            _(
                "Supervision coverage: peers neither paused nor ended at the period's end, and "
                "how many of them took part in at least one supervision session within it. "
                "Paths: the steps peers recorded in their own development log."
            ),
        ],
    )
    points = trends.checkin_trend(flt)
    if points:
        table = _trend_table(
            "peer-checkins", _("Peers' check-ins by month"), points, suppress, people=True
        )
        table.chart = charts.trend_chart(table, title=table.title, low=0, high=4)
        section.tables.append(table)
    figures = trends.retention(flt)
    table = Table(
        key="retention",
        title=_("Peers' retention"),
        columns=[
            ("at_start", str(_("At the period's start"))),
            ("still", str(_("Still there at its end"))),
            ("share", str(_("Share retained"))),
        ],
    )
    groups = [(_("All peers"), figures["all"])]
    groups += [
        (label, figures["by_kind"].get(kind, {"at_start": 0, "still": 0}))
        for kind, label in (("paid", _("Paid")), ("volunteer", _("Volunteer")))
    ]
    rows = {}
    for key, (label, group) in zip(("all", "paid", "volunteer"), groups, strict=True):
        at_start, still = group["at_start"] or 0, group["still"] or 0
        hide = suppress and small(at_start)
        still_cell = hidden_cell() if hide else n_cell(still, suppress=suppress)
        share = shown_share(still, at_start, suppress=suppress)
        rows[key] = {
            "label": str(label),
            "at_start": n_cell(at_start, suppress=suppress),
            "still": still_cell,
            "share": hidden_cell() if still_cell.suppressed else share_cell(share),
        }
    if suppress:
        # Paid and volunteer add up to all peers.
        _protect_parts(rows, [("paid", "volunteer")], "at_start", also=("still", "share"))
        _protect_parts(rows, [("paid", "volunteer")], "still", also=("share",))
    for row in rows.values():
        table.add(row.pop("label"), **row)
    section.tables.append(table)
    section.tables.append(_supervision_table(flt, suppress))
    steps = trends.pathways(flt)
    if steps:
        section.tables.append(_pathway_table(steps, suppress))
    return section


def _supervision_table(flt, suppress) -> Table:
    figures = trends.supervision_coverage(flt)
    peers, covered = figures["peers"], figures["covered"]
    hide = suppress and small(peers)
    covered_cell = hidden_cell() if hide else n_cell(covered, suppress=suppress)
    share = shown_share(covered, peers, suppress=suppress)
    table = Table(
        key="supervision",
        title=_("Supervision coverage"),
        columns=[
            ("peers", str(_("Active peers at the period's end"))),
            ("covered", str(_("With supervision within the period"))),
            ("share", str(pgettext("part of a whole", "Share"))),
            ("sessions", str(_("Supervision sessions"))),
        ],
    )
    table.add(
        str(_("All peers")),
        peers=n_cell(peers, suppress=suppress),
        covered=covered_cell,
        share=hidden_cell() if covered_cell.suppressed else share_cell(share),
        sessions=n_cell(figures["sessions"], suppress=suppress),
    )
    return table


def _pathway_table(steps, suppress) -> Table:
    table = Table(
        key="pathways",
        title=_("Peers' paths to education or work, as recorded"),
        columns=[("entries", str(_("Steps recorded"))), ("peers", str(_("n peers")))],
    )
    for kind, entries, peers in steps:
        hide = suppress and small(peers)
        table.add(
            str(PathwayKind(kind).label) if kind in PathwayKind.values else kind,
            entries=hidden_cell() if hide else n_cell(entries, suppress=suppress),
            peers=n_cell(peers, suppress=suppress),
        )
    return table


def organisation_section(flt, suppress, language) -> Section | None:
    points, domains = trends.staff_pulse_trend(flt)
    if not points:
        return None
    instrument = _current(trends.STAFF_PULSE)
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
        + [(domain, _scale_label(spec, domain, language)) for domain in domains],
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
    table.chart = charts.trend_chart(table, title=table.title, low=0, high=4)
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
