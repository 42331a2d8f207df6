"""Checking every row of an upload before anything is saved: each cell becomes a value or an
error (row, column, what is wrong, how to fix it), and rows that look like someone already in
Brobyg, or like another row, are marked by the rule intake uses (same phone, e-mail or CPR
number: ``people.selectors.match_keys``)."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.imports import columns as c
from brobyg.imports import selectors
from brobyg.imports.models import ImportKind
from brobyg.intake.services import is_below_minimum_age
from brobyg.lib import crypto
from brobyg.people.models import PeerStatus
from brobyg.people.selectors import match_keys

MAX_PEERS_PER_COURSE = 2


@dataclass
class Row:
    number: int
    cells: dict
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # [(heading or "", message)]
    duplicates: list = field(default_factory=list)  # [message]
    skip: bool = False  # a peer who is already here

    def error(self, column, message):
        self.errors.append((str(column.heading) if column else "", message))


@dataclass
class Checked:
    kind: str
    rows: list[Row]

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def duplicate_rows(self) -> list[Row]:
        return [row for row in self.rows if row.duplicates and not row.errors]

    @property
    def error_count(self) -> int:
        return sum(len(row.errors) for row in self.rows)

    @property
    def can_import(self) -> bool:
        return not self.error_rows and any(not row.skip for row in self.rows)


def _cell(row: Row, column, convert, *args):
    value = row.cells.get(column.key, "").strip()
    if not value:
        if column.required:
            row.error(column, _("The cell is empty. Fill it in; the column is required."))
        return None
    try:
        result = convert(value, *args) if convert else value
    except c.CellError as error:
        row.error(column, str(error))
        return None
    row.values[column.key] = result
    return result


def _column(kind, key):
    return next(column for column in c.COLUMNS[kind] if column.key == key)


class _Programmes:
    def __init__(self, organisation):
        self.by_name = selectors.programmes_by_name(organisation)

    def one(self, row, column):
        value = row.cells.get(column.key, "").strip()
        if not value and len(self.by_name) == 1:
            programme = next(iter(self.by_name.values()))
            row.values[column.key] = programme
            return programme
        return _cell(row, column, self.find)

    def find(self, value):
        programme = self.by_name.get(c.heading_key(value))
        if programme is None:
            raise c.CellError(
                _('There is no active programme called "%(value)s". Write one of: %(names)s.')
                % {
                    "value": value,
                    "names": ", ".join(sorted(p.name for p in self.by_name.values())) or "-",
                }
            )
        return programme

    def many(self, value):
        return [self.find(part) for part in c.split_list(value)]


def _citizen_cells(kind, row: Row):
    col = lambda key: _column(kind, key)  # noqa: E731
    _cell(row, col("name"), c.text, 200)
    _cell(row, col("phone"), c.phone)
    _cell(row, col("email"), c.email)
    _cell(row, col("birth_year"), c.birth_year)
    _cell(row, col("cpr"), c.cpr)
    _cell(row, col("municipality"), c.municipality)
    if not row.cells.get("phone", "").strip() and not row.cells.get("email", "").strip():
        row.error(
            col("phone"),
            _("Give a phone number or an e-mail address, or both, so the citizen can be reached."),
        )


def _citizen_keys(row: Row) -> set:
    values = row.values
    digest = crypto.digest(values["cpr"]) if values.get("cpr") else ""
    return match_keys(values.get("phone", ""), values.get("email", ""), digest)


def _mark_citizen_duplicates(organisation, rows: list[Row]) -> None:
    keys_of = {row.number: _citizen_keys(row) for row in rows if not row.errors}
    holders = selectors.citizens_holding(organisation, set().union(*keys_of.values(), set()))
    first_row: dict = {}
    for row in rows:
        keys = keys_of.get(row.number)
        if not keys:
            continue
        for kind, value in sorted(keys):
            what = _same_what(kind)
            if holders.get((kind, value)):
                row.duplicates.append(
                    _("A citizen with the same %(what)s is already in Brobyg.") % {"what": what}
                )
            earlier = first_row.setdefault((kind, value), row.number)
            if earlier != row.number:
                row.duplicates.append(
                    _("Row %(row)s has the same %(what)s.") % {"row": earlier, "what": what}
                )


def _same_what(kind: str) -> str:
    return {
        "phone": _("phone number"),
        "email": _("e-mail address"),
        "cpr": _("CPR number"),
    }[kind]


def check_requests(organisation, rows: list[Row]) -> None:
    kind = ImportKind.REQUESTS
    programmes = _Programmes(organisation)
    today = timezone.localdate()
    for row in rows:
        _citizen_cells(kind, row)
        programme = programmes.one(row, _column(kind, "programme"))
        _cell(row, _column(kind, "waiting_since"), lambda v: c.not_in_future(c.a_date(v)))
        status = _cell(
            row,
            _column(kind, "status"),
            c.choice,
            c.REQUEST_STATUSES,
            _("new, screened or on the waiting list"),
        )
        _cell(
            row,
            _column(kind, "peer_type"),
            c.choice,
            c.PEER_TYPE_WISHES,
            _("paid, volunteer or no preference"),
        )
        _cell(row, _column(kind, "own_words"), c.text, 2000)
        if (
            programme is not None
            and (status or "waiting") == "waiting"
            and is_below_minimum_age(programme, row.values.get("birth_year"), today=today)
        ):
            row.error(
                _column(kind, "birth_year"),
                _(
                    "The citizen is younger than the programme's minimum age of %(age)s. Write "
                    '"screened" as the status, import, and set the age limit aside on the '
                    "request's page."
                )
                % {"age": programme.minimum_age},
            )
    _mark_citizen_duplicates(organisation, rows)


def check_courses(organisation, rows: list[Row]) -> None:
    kind = ImportKind.COURSES
    programmes = _Programmes(organisation)
    peers = selectors.peers_by_email(organisation)

    def find_peers(value):
        found = []
        for address in c.split_list(value):
            peer = peers.get(address.lower())
            if peer is None:
                raise c.CellError(
                    _(
                        "There is no peer with the e-mail address %(email)s here. Import the "
                        "peers first, or write the address the peer uses in Brobyg."
                    )
                    % {"email": address}
                )
            if peer.status == PeerStatus.ENDED:
                raise c.CellError(
                    _("%(email)s has stopped as a peer and cannot be given a course.")
                    % {"email": address}
                )
            found.append(peer)
        if not 1 <= len(found) <= MAX_PEERS_PER_COURSE:
            raise c.CellError(_("Write one or two peers' e-mail addresses."))
        return found

    for row in rows:
        _citizen_cells(kind, row)
        programmes.one(row, _column(kind, "programme"))
        _cell(row, _column(kind, "peers"), find_peers)
        started = _cell(row, _column(kind, "started_on"), lambda v: c.not_in_future(c.a_date(v)))
        review = _cell(row, _column(kind, "review_on"), c.a_date)
        if started and review and review < started:
            row.error(
                _column(kind, "review_on"),
                _("The review cannot come before the start. Give a later date."),
            )
        _cell(
            row,
            _column(kind, "form"),
            c.choice,
            c.COURSE_FORMS,
            _("individual, activities or mixed"),
        )
        _cell(row, _column(kind, "goals"), c.text, 3000)
    _mark_citizen_duplicates(organisation, rows)


def check_peers(organisation, rows: list[Row]) -> None:
    kind = ImportKind.PEERS
    programmes = _Programmes(organisation)
    members = selectors.members_by_email(organisation)
    seen: dict[str, int] = {}
    for row in rows:
        _cell(row, _column(kind, "name"), c.text, 200)
        address = _cell(row, _column(kind, "email"), c.email)
        _cell(row, _column(kind, "kind"), c.choice, c.PEER_KINDS, _("paid or volunteer"))
        _cell(row, _column(kind, "status"), c.choice, c.PEER_STATUSES, _("onboarding or active"))
        _cell(row, _column(kind, "capacity"), c.capacity)
        _cell(row, _column(kind, "programmes"), programmes.many)
        _cell(row, _column(kind, "municipalities"), c.municipalities)
        if not address:
            continue
        if address in seen:
            row.error(
                _column(kind, "email"),
                _("Row %(row)s has the same e-mail address. Keep one of the two rows.")
                % {"row": seen[address]},
            )
            continue
        seen[address] = row.number
        member = members.get(address)
        if member is None:
            continue
        row.values["existing_user"] = member["membership"].user
        if member["has_peer_profile"]:
            row.duplicates.append(
                _("This person already has a peer profile here; the row will be skipped.")
            )
            row.skip = True
        elif not member["may_serve_as_peer"]:
            row.error(
                _column(kind, "email"),
                _(
                    "This person is already a member here without the peer role. Give them the "
                    "peer role under Staff and volunteers first, or delete the row."
                ),
            )


CHECKS = {
    ImportKind.PEERS: check_peers,
    ImportKind.REQUESTS: check_requests,
    ImportKind.COURSES: check_courses,
}


def check(kind: str, organisation, stored_rows) -> Checked:
    """Every stored row ``[number, {key: text}]`` checked: nothing is written."""
    rows = [Row(number=number, cells=cells) for number, cells in stored_rows]
    CHECKS[kind](organisation, rows)
    return Checked(kind=kind, rows=rows)
