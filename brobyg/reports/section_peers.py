"""The peers: their check-ins, retention, supervision coverage and paths."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from brobyg.peercare.models import PathwayKind
from brobyg.reports import charts, trends
from brobyg.reports.cells import protect_parts
from brobyg.reports.tables import (
    Cell,
    Section,
    Table,
    hidden_cell,
    n_cell,
    number,
    share_cell,
    shown_share,
    small,
)


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
        table.chart = charts.draw("trend", table, title=table.title, low=0, high=4)
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
        protect_parts(rows, [("paid", "volunteer")], "at_start", also=("still", "share"))
        protect_parts(rows, [("paid", "volunteer")], "still", also=("share",))
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
