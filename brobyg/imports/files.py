"""The files offered for download: an empty template per kind and a filled-in sample, as CSV
(UTF-8 with a byte-order mark and semicolons, as Excel in Denmark opens it) or XLSX, with the
headings in the user's language."""

from django.utils.translation import gettext as _

from brobyg.imports import selectors
from brobyg.imports.columns import COLUMNS
from brobyg.imports.models import ImportKind

SAMPLE_PEOPLE = [
    ("Mette Holm", "20 30 40 50", "mette.holm@example.dk", "1988", "København"),
    ("Jonas Berg", "31 42 53 64", "", "1975", "Frederiksberg"),
    ("Aisha Khan", "", "aisha.k@example.dk", "1999", "Gentofte"),
]
SAMPLE_PEERS = [
    ("Anna Lund", "anna.lund@example.dk", "frivillig", "aktiv", "3"),
    ("Ole Dam", "ole.dam@example.dk", "lønnet", "onboarding", "5"),
]


def headings(kind: str) -> list[str]:
    return [str(column.heading) for column in COLUMNS[kind]]


def sample_rows(kind: str, organisation) -> list[list[str]]:
    """A few invented rows that import as they are in ``organisation``."""
    programmes = sorted(selectors.programmes_by_name(organisation).values(), key=lambda p: p.name)
    programme = programmes[0].name if programmes else ""
    rows = []
    if kind == ImportKind.PEERS:
        for name, email, peer_kind, status, capacity in SAMPLE_PEERS:
            rows.append([name, email, peer_kind, status, capacity, programme, "København"])
    elif kind == ImportKind.REQUESTS:
        for index, (name, phone, email, year, municipality) in enumerate(SAMPLE_PEOPLE):
            since = ("15-01-2026", "03.02.2026", "2026-02-20")[index]
            rows.append(
                [name, phone, email, year, "", municipality, programme, since,
                 "på ventelisten", "ingen præference", "Jeg vil gerne have nogen at gå tur med."]
            )  # fmt: skip
    else:
        peers = sorted(selectors.peers_by_email(organisation))
        for index, (name, phone, email, year, municipality) in enumerate(SAMPLE_PEOPLE):
            peer = peers[index % len(peers)] if peers else ""
            rows.append(
                [name, phone, email, year, "", municipality, programme, peer,
                 ("05-01-2026", "12.01.2026", "2026-02-02")[index], "",
                 "individuelle samtaler", "Komme ud blandt andre igen."]
            )  # fmt: skip
    return rows


def file_name(kind: str, *, sample: bool, extension: str) -> str:
    names = {
        ImportKind.PEERS: _("peers"),
        ImportKind.REQUESTS: _("waiting-list"),
        ImportKind.COURSES: _("courses"),
    }
    prefix = _("sample") if sample else _("template")
    return f"{prefix}-{names[kind]}.{extension}"
