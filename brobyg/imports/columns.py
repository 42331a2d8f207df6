"""What each kind of import reads: its columns (headings in English and Danish, both accepted),
and how one cell becomes a value or a message saying what is wrong and how to fix it."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobyg.imports.models import ImportKind
from brobyg.imports.parsing import FileProblem, parse_date
from brobyg.lib.forms import clean_phone
from brobyg.people.services import normalise_cpr
from brobyg.people.vocabulary import municipality_name


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # lazy, English in code
    required: bool
    example: str
    hint: str = ""  # lazy: what to write


NAME = Column("name", gettext_lazy("Name"), True, "Mette Holm")
PHONE = Column(
    "phone", gettext_lazy("Phone"), False, "20 30 40 50", gettext_lazy("phone or e-mail, or both")
)
EMAIL = Column("email", gettext_lazy("E-mail"), False, "mette@example.dk")
BIRTH_YEAR = Column("birth_year", gettext_lazy("Year of birth"), False, "1988")
CPR = Column("cpr", gettext_lazy("CPR number"), False, "", gettext_lazy("DDMMYY-XXXX"))
MUNICIPALITY = Column("municipality", gettext_lazy("Municipality"), False, "København")
PROGRAMME = Column(
    "programme",
    gettext_lazy("Programme"),
    True,
    "",
    gettext_lazy("the programme's name as in Brobyg"),
)
DATE_HINT = gettext_lazy("a date as 31-01-2026, 31.01.2026 or 2026-01-31")

COLUMNS = {
    ImportKind.PEERS: (
        NAME,
        Column("email", gettext_lazy("E-mail"), True, "anna@example.dk"),
        Column(
            "kind",
            gettext_lazy("Paid or volunteer"),
            True,
            "frivillig",
            gettext_lazy("paid or volunteer"),
        ),
        Column(
            "status", gettext_lazy("Status"), False, "aktiv", gettext_lazy("onboarding or active")
        ),
        Column("capacity", gettext_lazy("Citizens at a time"), False, "3", gettext_lazy("1 to 30")),
        Column(
            "programmes",
            gettext_lazy("Programmes"),
            False,
            "",
            gettext_lazy("programme names, separated by semicolons"),
        ),
        Column(
            "municipalities",
            gettext_lazy("Municipalities"),
            False,
            "Rudersdal; Furesø",
            gettext_lazy("separated by semicolons"),
        ),
    ),
    ImportKind.REQUESTS: (
        NAME,
        PHONE,
        EMAIL,
        BIRTH_YEAR,
        CPR,
        MUNICIPALITY,
        PROGRAMME,
        Column("waiting_since", gettext_lazy("On the waiting list since"), False, "15-01-2026",
               DATE_HINT),
        Column(
            "status",
            gettext_lazy("Status"),
            False,
            "på ventelisten",
            gettext_lazy("new, screened or on the waiting list"),
        ),
        Column(
            "peer_type",
            gettext_lazy("Wishes a paid or volunteer peer"),
            False,
            "ingen præference",
            gettext_lazy("paid, volunteer or no preference"),
        ),
        Column("own_words", gettext_lazy("In the citizen's own words"), False,
               "Jeg vil gerne ud at gå med nogen."),
    ),
    ImportKind.COURSES: (
        NAME,
        PHONE,
        EMAIL,
        BIRTH_YEAR,
        CPR,
        MUNICIPALITY,
        PROGRAMME,
        Column(
            "peers",
            gettext_lazy("Peers' e-mail"),
            True,
            "anna@example.dk",
            gettext_lazy("one or two, separated by semicolons"),
        ),
        Column("started_on", gettext_lazy("Started"), True, "01-02-2026", DATE_HINT),
        Column("review_on", gettext_lazy("Planned review"), False, "01-05-2026", DATE_HINT),
        Column(
            "form",
            gettext_lazy("Form"),
            False,
            "individuelle samtaler",
            gettext_lazy("individual, activities or mixed"),
        ),
        Column("goals", gettext_lazy("Goals in the citizen's own words"), False,
               "Komme ud blandt andre igen."),
    ),
}  # fmt: skip


def heading_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip().casefold()


def headings_in(column: Column) -> set[str]:
    """Both languages' heading, as a heading in a file is compared."""
    names = set()
    for language in ("da", "en"):
        with translation.override(language):
            names.add(heading_key(str(column.heading)))
    return names


def match_headings(kind: str, headings: list[str]) -> dict[int, str]:
    """Column index → key; raises ``FileProblem`` naming every missing, unknown or doubled
    column, each with what to do."""
    columns = COLUMNS[kind]
    by_heading = {name: column for column in columns for name in headings_in(column)}
    found: dict[int, str] = {}
    problems = []
    seen: dict[str, str] = {}
    for index, heading in enumerate(headings):
        if not heading.strip():
            continue
        column = by_heading.get(heading_key(heading))
        if column is None:
            problems.append(
                _(
                    'The column "%(heading)s" is not one this import knows. Rename it to one '
                    "of the template's headings or delete it."
                )
                % {"heading": heading}
            )
        elif column.key in seen:
            problems.append(
                _('The column "%(heading)s" appears twice. Keep one of them.')
                % {"heading": heading}
            )
        else:
            seen[column.key] = heading
            found[index] = column.key
    for column in columns:
        if column.required and column.key not in seen:
            problems.append(
                _('The column "%(heading)s" is missing. Add it as in the template.')
                % {"heading": column.heading}
            )
    if problems:
        raise FileProblem(*problems)
    return found


# Choice words in both languages, compared case-insensitively.
def _words(pairs) -> dict[str, str]:
    words = {}
    for value, names in pairs:
        for name in names:
            words[heading_key(name)] = value
    return words


PEER_KINDS = _words(
    [
        ("paid", ["paid", "lønnet", "ansat", "lønnet peer"]),
        ("volunteer", ["volunteer", "frivillig", "frivillig peer"]),
    ]
)
PEER_STATUSES = _words(
    [
        ("onboarding", ["onboarding", "ny", "under oplæring", "oplæring"]),
        ("active", ["active", "aktiv"]),
    ]
)
REQUEST_STATUSES = _words(
    [
        ("new", ["new", "ny"]),
        ("screened", ["screened", "visiteret"]),
        ("waiting", ["on the waiting list", "waiting", "på ventelisten", "venteliste", "ventende"]),
    ]
)
PEER_TYPE_WISHES = _words(
    [
        ("no_preference", ["no preference", "ingen præference", "ligegyldigt", "ingen"]),
        ("paid", ["paid", "lønnet"]),
        ("volunteer", ["volunteer", "frivillig"]),
    ]
)
COURSE_FORMS = _words(
    [
        ("individual", ["individual", "individual conversations", "individuel",
                        "individuelle samtaler", "samtaler"]),
        ("activity", ["activity", "activities", "built around activities", "aktiviteter",
                      "bygget op om aktiviteter"]),
        ("mixed", ["mixed", "blandet"]),
    ]
)  # fmt: skip


class CellError(Exception):
    """What is wrong with a cell and how to fix it."""


def text(value: str, limit: int) -> str:
    if len(value) > limit:
        raise CellError(
            _("It is %(length)s characters long; shorten it to at most %(limit)s.")
            % {"length": len(value), "limit": limit}
        )
    return value


def choice(value: str, words: dict[str, str], allowed: str) -> str:
    found = words.get(heading_key(value))
    if found is None:
        raise CellError(
            _('"%(value)s" is not one of the choices. Write %(allowed)s.')
            % {"value": value, "allowed": allowed}
        )
    return found


def phone(value: str) -> str:
    try:
        return clean_phone(value)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None


def email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(
            _('"%(value)s" is not an e-mail address. Write it as name@example.dk.')
            % {"value": value}
        ) from None
    return value.lower()


def birth_year(value: str) -> int:
    this_year = timezone.localdate().year
    if not re.fullmatch(r"\d{4}", value) or not 1900 <= int(value) <= this_year:
        raise CellError(
            _('"%(value)s" is not a year of birth. Write four digits, e.g. 1988.')
            % {"value": value}
        )
    return int(value)


def cpr(value: str) -> str:
    try:
        return normalise_cpr(value)
    except ValidationError:
        raise CellError(
            _("This is not a valid CPR number. Write it as DDMMYY-XXXX, or leave it empty.")
        ) from None


def municipality(value: str) -> str:
    name = municipality_name(value)
    if not name:
        raise CellError(
            _('"%(value)s" is not a Danish municipality. Write its name, e.g. København.')
            % {"value": value}
        )
    return name


def municipalities(value: str) -> list[str]:
    return list(dict.fromkeys(municipality(part) for part in split_list(value)))


def a_date(value: str):
    found = parse_date(value)
    if found is None:
        raise CellError(
            _('"%(value)s" is not a date. Write it as 31-01-2026, 31.01.2026 or 2026-01-31.')
            % {"value": value}
        )
    return found


def not_in_future(day):
    if day > timezone.localdate():
        raise CellError(_("The date is in the future. Give today's date or an earlier one."))
    return day


def capacity(value: str) -> int:
    if not re.fullmatch(r"\d{1,2}", value) or not 1 <= int(value) <= 30:
        raise CellError(
            _('"%(value)s" is not a number from 1 to 30. Write how many citizens at a time.')
            % {"value": value}
        )
    return int(value)


def split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", value) if part.strip()]
