"""A built report as plain JSON, for ``ReportSnapshot.figures``, and back.

What is stored is the report's own structure (``report.Report``, its ``tables.Section``s,
``tables.Table``s and ``tables.Cell``s) with a schema version: texts as the language they were
built in, numbers as numbers, and for a chart only how to draw it again (``charts.draw``), never
markup. A report comes back as the same objects, so the page, the PDF and the files show it
with the same templates and writers. Stored figures never hold the quotes (free text): the page
and the files add them live where the reader may see them (``with_quotes``).

A snapshot is found by its key: the organisation's choices on the scope form (programmes,
period, follow-up), the suppression the reader's permissions give and the language
(``snapshot_key``).
"""

import hashlib
import json
import math
from datetime import date, datetime

from brobyg.reports import charts, tables
from brobyg.reports.change import Filter
from brobyg.reports.report import Report
from brobyg.reports.section_organisation import quotes_section

SCHEMA_VERSION = 1

# Not ``exact_count``: the count before rounding only serves the suppression while building.
_CELL_FIELDS = ("text", "suppressed", "note", "small_count", "number_format")


def snapshot_parameters(*, choices: dict, suppressed: bool, language: str) -> dict:
    """The plain parameters of a report for the scope form's cleaned ``choices``."""
    programmes = sorted(choices["programmes"], key=lambda programme: str(programme.public_id))
    return {
        "programmes": [str(programme.public_id) for programme in programmes],
        "programme_ids": [programme.pk for programme in programmes],
        "start": choices["start"].isoformat(),
        "end": choices["end"].isoformat(),
        "follow_up": choices["follow_up"],
        "suppressed": suppressed,
        "language": language,
    }


def snapshot_key(parameters: dict) -> str:
    """One report's key: the same choices, suppression and language give the same key."""
    wanted = {name: parameters[name] for name in sorted(parameters) if name != "programme_ids"}
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


def _number(value):
    """A float JSON (and PostgreSQL's jsonb) can hold: infinities and NaN are tagged."""
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    return value


def _unnumber(value):
    if isinstance(value, dict) and "float" in value:
        return float(value["float"])
    return value


def _value(value):
    if isinstance(value, tuple):
        return {"tuple": [_number(part) for part in value]}
    return _number(value)


def _unvalue(value):
    if isinstance(value, dict) and "tuple" in value:
        return tuple(_unnumber(part) for part in value["tuple"])
    return _unnumber(value)


def _cell(cell: tables.Cell) -> dict:
    data = {"value": _value(cell.value)}
    for name in _CELL_FIELDS:
        value = getattr(cell, name)
        if value:
            data[name] = str(value) if isinstance(value, str) else value
    if cell.interval is not None:
        data["interval"] = [_number(limit) for limit in cell.interval]
    return data


def _uncell(data: dict) -> tables.Cell:
    cell = tables.Cell(value=_unvalue(data.get("value")))
    for name in _CELL_FIELDS:
        if name in data:
            setattr(cell, name, data[name])
    if "interval" in data:
        cell.interval = tuple(_unnumber(limit) for limit in data["interval"])
    return cell


def _table(table: tables.Table) -> dict:
    chart = None
    if table.chart is not None:
        chart = {"kind": table.chart["kind"], "params": table.chart["params"]}
    return {
        "key": table.key,
        "title": str(table.title),
        "columns": [[key, str(label)] for key, label in table.columns],
        "rows": [{key: _cell(cell) for key, cell in row.items()} for row in table.rows],
        "caption": str(table.caption),
        "chart": chart,
    }


def _untable(data: dict) -> tables.Table:
    table = tables.Table(
        key=data["key"],
        title=data["title"],
        columns=[(key, label) for key, label in data["columns"]],
        rows=[{key: _uncell(cell) for key, cell in row.items()} for row in data["rows"]],
        caption=data["caption"],
    )
    if data["chart"] is not None:
        table.chart = charts.draw(data["chart"]["kind"], table, **data["chart"]["params"])
    return table


def dump(report: Report) -> dict:
    """The report as JSON-ready data, without its quotes."""
    return {
        "schema": SCHEMA_VERSION,
        "organisation_names": list(report.organisation_names),
        "programme_names": list(report.programme_names),
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "follow_up": report.follow_up,
        "suppressed": report.suppressed,
        "generated_at": report.generated_at.isoformat(),
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "texts": [str(text) for text in section.texts],
                "methods": [str(text) for text in section.methods],
                "tables": [_table(table) for table in section.tables],
            }
            for section in report.sections
            if section.key != "quotes"
        ],
    }


def load(data: dict) -> Report | None:
    """The report stored by ``dump``; None for figures of another schema version (they are
    computed again)."""
    if not data or data.get("schema") != SCHEMA_VERSION:
        return None
    return Report(
        organisation_names=data["organisation_names"],
        programme_names=data["programme_names"],
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        follow_up=data["follow_up"],
        suppressed=data["suppressed"],
        generated_at=datetime.fromisoformat(data["generated_at"]),
        sections=[
            tables.Section(
                key=section["key"],
                title=section["title"],
                texts=section["texts"],
                methods=section["methods"],
                tables=[_untable(table) for table in section["tables"]],
            )
            for section in data["sections"]
        ],
    )


def with_quotes(report: Report, *, organisation, parameters: dict) -> Report:
    """The report with the citizens' consented own words added live (never stored)."""
    flt = Filter(
        organisation_ids=(organisation.pk,),
        programme_ids=tuple(parameters["programme_ids"]),
        start=date.fromisoformat(parameters["start"]),
        end=date.fromisoformat(parameters["end"]),
    )
    section = quotes_section(flt)
    if section is not None:
        report.sections.append(section)
    return report
