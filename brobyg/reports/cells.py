"""Cells of the report's tables from computed figures, with the suppression of small counts
(``tables.py``) and the complementary suppression over a total and its parts.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobyg.outcomes.definitions import TOTAL
from brobyg.reports.tables import (
    SMALL,
    Cell,
    count,
    hidden_cell,
    interval,
    n_cell,
    number,
    p_value,
    percent,
    shown_count,
    shown_share,
    small,
    suppressed_cell,
)
from brobyg.reports.texts import REASONS


def why_not_computable(result) -> str:
    for reason in result.not_computable:
        if reason in REASONS:
            return str(REASONS[reason])
    return ""


def change_cells(result, *, suppress: bool) -> dict:
    cells = {
        "n_t1": n_cell(result.n_t1, suppress=suppress),
        "n_t2": n_cell(result.n_t2, suppress=suppress),
        "n": n_cell(result.n_paired, suppress=suppress),
    }
    if suppress and small(result.n_paired):
        for key in ("mean_t1", "mean_t2", "change", "ci", "t_p", "w_p", "dz"):
            cells[key] = hidden_cell()
        return cells
    why = why_not_computable(result)
    cells.update(
        mean_t1=Cell(result.mean_t1, number(result.mean_t1)),
        mean_t2=Cell(result.mean_t2, number(result.mean_t2)),
        change=Cell(result.mean_change, number(result.mean_change), note=why),
        ci=Cell(
            (result.ci_low, result.ci_high) if result.ci_low is not None else None,
            interval(result.ci_low, result.ci_high),
            note=why,
        ),
        t_p=p_cell(result.t_p, why),
        w_p=p_cell(result.wilcoxon_p, why),
        dz=Cell(
            result.dz,
            dz_text(result),
            note=why,
            interval=(result.dz_low, result.dz_high) if result.dz is not None else None,
        ),
    )
    return cells


# Below this a p-value is beyond double precision (it may be computed as 0): files say "<1e-300".
P_FLOOR = 1e-300


def p_cell(p: float | None, why: str) -> Cell:
    value = f"<{P_FLOOR:g}" if p is not None and p < P_FLOOR else p
    return Cell(value, p_value(p), note=why)


def dz_text(result) -> str:
    if result.dz is None:
        return ""
    if result.dz_low is None:
        return f"{number(result.dz)} ({_('no exact interval found')})"
    return f"{number(result.dz)} ({interval(result.dz_low, result.dz_high)})"


def share_cells(counts: dict[str, int], n: int, *, suppress: bool) -> dict:
    """Counts of a breakdown with their shares; small counts suppressed, with a partner where
    needed (``protect_parts``)."""
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
        protect_parts(cells, [tuple(counts)])
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


def column_pairs(columns) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in columns]


def scale_label(spec, scale: str, language: str) -> str:
    if scale == TOTAL:
        return _("Total")
    labels = spec.domains.get(scale, {})
    return labels.get(language) or labels.get("en") or scale


def protect_parts(cells_by_key: dict[str, dict], groups, column="value", also=()) -> None:
    """Complementary suppression over a total and its parts: where parts are hidden, the hidden
    ones must together hold at least 5 (or none at all), or the total minus the shown parts
    would tell a small number; while they do not, the smallest shown part that is not zero is
    hidden too (in ``column`` and the ``also`` columns of its row)."""
    for parts in groups:
        if isinstance(parts, str):
            keys = [key for key in cells_by_key if key.startswith(parts)]
        else:
            keys = [key for key in parts if key in cells_by_key]

        counts = {key: exact_count(cells_by_key[key][column]) for key in keys}
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


def exact_count(cell: Cell):
    return cell.exact_count if cell.exact_count is not None else cell.value
