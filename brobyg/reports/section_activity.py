"""The citizens' activity: requests, matches, courses, sessions, hand-overs and groups."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from brobyg.reports import activity
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
from brobyg.support.models import EndReason, SessionForm, SessionKind

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
        protect_parts(cells_by_key, PART_GROUPS, also=("n", "share"))
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
