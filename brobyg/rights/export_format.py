"""The documented format of a citizen's data export (JSON), and its published JSON Schema.

The schema is generated from these models and published as
``static/brobyg/schemas/citizen-export-v1.schema.json`` (a test keeps the file in step); an
export is checked against the models before it leaves the server.
"""

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "https://brobyg.dk/schemas/citizen-export-v1.schema.json"
SCHEMA_PATH = "brobyg/schemas/citizen-export-v1.schema.json"  # under static/


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Organisation(_Strict):
    id: str = Field(description="The organisation's stable id")
    name: str


class Record(_Strict):
    """One citizen record; a person has one, plus any duplicates merged into it."""

    id: str
    name: str
    phone: str
    email: str
    contact_times: str
    birth_year: int | None
    municipality: str
    gender: str = Field(description="'woman', 'man', 'other' or empty")
    languages: list[str]
    services_contact: str
    cpr: str = Field(description="Date of birth part of the CPR number only, e.g. 010190-xxxx")
    created_at: str
    merged_into: str | None


class Consent(_Strict):
    purpose: str
    given: bool
    shared_with: str | None
    method: str
    recorded_at: str


class Person(_Strict):
    records: list[Record]
    consents: list[Consent] = Field(description="The whole consent history, oldest first")


class AccessEntry(_Strict):
    """One time someone read, searched, changed or exported the person's data."""

    at: str = Field(description="ISO 8601 time")
    action: str = Field(description="read, search, create, update, export, delete, denied, ...")
    organisation: str | None = Field(description="The organisation of the person who did it")
    roles: list[str] = Field(description="Their roles there ('citizen' for the person's own link)")
    reason: str = Field(description="Why, as recorded (e.g. 'citizen page')")
    staff_member: str | None = Field(
        default=None,
        description="The staff member's name, only where their organisation has chosen to show it",
    )


class CitizenExport(_Strict):
    format: str = Field(pattern="^brobyg-citizen-export$")
    version: int = Field(ge=1, le=1)
    generated_at: str
    organisation: Organisation
    person: Person
    parts: dict[str, dict[str, Any]] = Field(
        description=(
            "What each part of Brobyg holds, by part: intake (requests for support and their "
            "history), matching (matches with peers), support (courses, goals, sessions, "
            "communities, hand-overs and what was shared), groups, outcomes (questionnaires, "
            "answers and scores), sms (text messages sent: kind, number, delivery), "
            "conversations (secure messages: who wrote, the text, when), rights "
            "(data-protection requests and legal holds)"
        )
    )
    access_log: list[AccessEntry]


def json_schema() -> dict:
    schema = CitizenExport.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def validate(data: dict) -> dict:
    """Raise pydantic's ValidationError if ``data`` does not follow the format."""
    CitizenExport.model_validate(data)
    return data
