"""Import of earlier questionnaire answers from a CSV file: all rows or none.

The file has exactly the columns ``respondent,instrument,version,timepoint,date,item,value``,
one answer per row. ``respondent`` is a stable pseudonym; a new one becomes a citizen record of
the organisation. The rows of one respondent, instrument, version and timepoint make one
response, scored like any other. Every row is checked first; any bad row (unknown instrument or
item, value off the scale, duplicate answer, ...) stops the import, and the report lists every
bad row by its line number. Only a file without faults is written, in one transaction.
"""

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.outcomes import selectors
from brobyg.outcomes.definitions import TOTAL
from brobyg.outcomes.models import (
    Instrument,
    Mode,
    Pseudonym,
    RespondentKind,
    Response,
    Score,
)
from brobyg.outcomes.scoring import score
from brobyg.people.models import Citizen

COLUMNS = ["respondent", "instrument", "version", "timepoint", "date", "item", "value"]
TIMEPOINTS = ("baseline", "followup_3m", "followup_6m", "end")
MAX_PSEUDONYM = 64
INTEGER = re.compile(r"^[+-]?\d+$")
BATCH = 500


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


class ImportFailed(Exception):
    """Nothing was imported; ``errors`` lists every bad row."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} bad rows")


@dataclass
class ImportResult:
    rows: int = 0
    responses: int = 0
    new_respondents: int = 0
    known_respondents: int = 0


@dataclass
class _Group:
    line: int
    respondent: str
    instrument: Instrument
    timepoint: str
    day: date
    answers: dict = field(default_factory=dict)


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


class _Reader:
    """Checks the rows one by one and gathers them into responses."""

    def __init__(self, organisation):
        self.organisation = organisation
        self.instruments = {(i.code, i.version): i for i in Instrument.objects.all()}
        self.errors: list[RowError] = []
        self.groups: dict[tuple, _Group] = {}
        self.answered: dict[tuple, int] = {}
        self.today = timezone.localdate()
        self.rows = 0

    def row(self, line: int, cells: list[str]) -> None:
        self.rows += 1
        if len(cells) != len(COLUMNS):
            self.errors.append(
                RowError(line, f"expected {len(COLUMNS)} columns, found {len(cells)}")
            )
            return
        respondent, code, version, timepoint, day_text, item_id, value_text = (
            cell.strip() for cell in cells
        )
        problems = []
        if not respondent:
            problems.append("the respondent is empty")
        elif len(respondent) > MAX_PSEUDONYM:
            problems.append(f"the respondent is longer than {MAX_PSEUDONYM} characters")
        instrument = self.instruments.get((code, version))
        item = None
        if instrument is None:
            problems.append(f"unknown instrument {code!r} version {version!r}")
        elif instrument.respondent != RespondentKind.CITIZEN:
            problems.append(f"{code!r} is not a questionnaire for citizens")
        else:
            item = instrument.spec.item(item_id)
            if item is None:
                problems.append(f"unknown item {item_id!r} of {code!r}")
            elif item.kind != "scale":
                problems.append(f"item {item_id!r} is free text and cannot be imported")
        if timepoint not in TIMEPOINTS:
            problems.append(f"unknown timepoint {timepoint!r} (use {', '.join(TIMEPOINTS)})")
        day = _parse_date(day_text)
        if day is None:
            problems.append(f"the date {day_text!r} is not an ISO 8601 date (YYYY-MM-DD)")
        elif day > self.today:
            problems.append(f"the date {day_text} is in the future")
        value = None
        if value_text:
            if not INTEGER.match(value_text):
                problems.append(f"the value {value_text!r} is not a whole number")
            else:
                value = int(value_text)
                if item is not None and item.scale and value not in item.scale.values:
                    problems.append(
                        f"the value {value} is outside the item's scale "
                        f"({item.scale.min} to {item.scale.max})"
                    )
        if problems:
            self.errors.append(RowError(line, "; ".join(problems)))
            return
        group_key = (respondent, code, version, timepoint)
        answer_key = (*group_key, item_id)
        if answer_key in self.answered:
            self.errors.append(
                RowError(
                    line,
                    f"duplicate answer: {respondent!r} already answered {item_id!r} of {code!r} "
                    f"at {timepoint} on line {self.answered[answer_key]}",
                )
            )
            return
        self.answered[answer_key] = line
        group = self.groups.get(group_key)
        if group is None:
            group = self.groups[group_key] = _Group(line, respondent, instrument, timepoint, day)
        elif group.day != day:
            self.errors.append(
                RowError(
                    line,
                    f"the date {day.isoformat()} differs from {group.day.isoformat()} on line "
                    f"{group.line} for the same questionnaire",
                )
            )
            return
        if value is not None:
            group.answers[item_id] = value

    def check_existing(self, pseudonyms: dict[str, int]) -> None:
        """A respondent who already has a response to the instrument at the timepoint."""
        codes = {group.instrument.code for group in self.groups.values()}
        existing = set(
            Response.objects.filter(
                organisation=self.organisation,
                citizen_id__in=Pseudonym.objects.filter(organisation=self.organisation).values(
                    "citizen_id"
                ),
                instrument__code__in=codes,
            ).values_list("citizen_id", "instrument__code", "timepoint")
        )
        for group in self.groups.values():
            citizen_id = pseudonyms.get(group.respondent)
            if (citizen_id, group.instrument.code, group.timepoint) in existing:
                self.errors.append(
                    RowError(
                        group.line,
                        f"{group.respondent!r} already has answers to {group.instrument.code!r} "
                        f"at {group.timepoint} (imported or given earlier)",
                    )
                )


def _read(organisation, stream) -> _Reader:
    reader = _Reader(organisation)
    rows = csv.reader(stream)
    header = next(rows, None)
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    if [cell.strip() for cell in header or []] != COLUMNS:
        raise ImportFailed(
            [RowError(1, f"the first line must name exactly these columns: {','.join(COLUMNS)}")]
        )
    try:
        for cells in rows:
            if not any(cell.strip() for cell in cells):
                continue  # blank line
            reader.row(rows.line_num, cells)
    except csv.Error as error:
        reader.errors.append(RowError(rows.line_num, f"the file cannot be read as CSV: {error}"))
    return reader


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def import_responses(*, organisation, stream, actor=None, source: str = "") -> ImportResult:
    """Import a CSV file (a text stream) of earlier answers for ``organisation``: all rows or
    none. Raises ImportFailed listing every bad row."""
    reader = _read(organisation, stream)
    pseudonyms = dict(
        Pseudonym.objects.filter(organisation=organisation).values_list("value", "citizen_id")
    )
    if not reader.errors:
        reader.check_existing(pseudonyms)
    if reader.errors:
        raise ImportFailed(sorted(reader.errors, key=lambda error: error.line))
    with transaction.atomic():
        return _write(organisation, reader, pseudonyms, actor=actor, source=source)


def _write(organisation, reader: _Reader, pseudonyms: dict, *, actor, source) -> ImportResult:
    result = ImportResult(rows=reader.rows)
    respondents = {group.respondent for group in reader.groups.values()}
    new = sorted(respondents - set(pseudonyms))
    # A pseudonymous record has no contact details, which people.services.citizen_create asks
    # for (a citizen who asks for support must be reachable); imported respondents never are, so
    # their records are made here, with the fields' own checks, and logged like every record.
    citizens = [Citizen(organisation=organisation, name=value) for value in new]
    for citizen in citizens:
        citizen.clean_fields(exclude=["organisation"])
    Citizen.objects.bulk_create(citizens, batch_size=BATCH)
    Pseudonym.objects.bulk_create(
        [
            Pseudonym(organisation=organisation, value=value, citizen=citizen)
            for value, citizen in zip(new, citizens, strict=True)
        ],
        batch_size=BATCH,
    )
    pseudonyms.update({value: citizen.pk for value, citizen in zip(new, citizens, strict=True)})
    tables = {}
    responses, results_per_response = [], []
    for group in reader.groups.values():
        instrument = group.instrument
        if instrument.pk not in tables:
            tables[instrument.pk] = selectors.instrument_texts(
                instrument, organisation
            ).conversion_table
        results = score(instrument.spec, group.answers, conversion_table=tables[instrument.pk])
        moment = _noon(group.day)
        responses.append(
            Response(
                organisation=organisation,
                instrument=instrument,
                respondent_kind=RespondentKind.CITIZEN,
                citizen_id=pseudonyms[group.respondent],
                timepoint=group.timepoint,
                answers=group.answers,
                mode=Mode.IMPORTED,
                started_at=moment,
                completed_at=moment,
                answered_on=group.day,
                total=results[TOTAL].value,
            )
        )
        results_per_response.append(results)
    Response.objects.bulk_create(responses, batch_size=BATCH)
    Score.objects.bulk_create(
        [
            row
            for response, results in zip(responses, results_per_response, strict=True)
            for row in Score.for_response(response, results)
        ],
        batch_size=BATCH,
    )
    per_citizen: dict[int, int] = defaultdict(int)
    for response in responses:
        per_citizen[response.citizen_id] += 1
    by_pk = {citizen.pk: citizen for citizen in citizens}
    known = Citizen.objects.filter(
        organisation=organisation, pk__in=set(per_citizen) - set(by_pk)
    ).only("public_id")
    by_pk.update({citizen.pk: citizen for citizen in known})
    for citizen in citizens:
        log_action(
            action=Action.CREATE,
            actor=actor,
            organisation=organisation,
            target=citizen,
            subject=citizen,
            reason=gettext_noop("import of earlier questionnaire answers"),
            details={"pseudonymous": True},
        )
    for citizen_pk, count in per_citizen.items():
        log_action(
            action=Action.CREATE,
            actor=actor,
            organisation=organisation,
            object_type="outcomes.response",
            subject=by_pk[citizen_pk],
            reason=gettext_noop("import of earlier questionnaire answers"),
            details={"responses": count, "source": source[:200]},
        )
    result.responses = len(responses)
    result.new_respondents = len(new)
    result.known_respondents = len(respondents) - len(new)
    return result
