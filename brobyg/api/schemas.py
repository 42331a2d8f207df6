"""The input and output of each operation, explicit (no model is serialised whole)."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict] | None = None


# Every operation may answer with these problems besides its own responses.
PROBLEMS = {status: Problem for status in (400, 401, 403, 404, 413, 415, 422, 429)}


class UnitOut(Schema):
    id: UUID
    name: str
    kind: str
    is_active: bool


class ProgrammeOut(Schema):
    id: UUID
    name: str
    description: str
    support_type: str
    model: str
    peer_role: str
    purposes: list[str]
    forms: list[str]
    minimum_age: int
    legal_basis: str
    is_active: bool
    units: list[UUID]


class ReferralIn(Schema):
    """A staff referral, with the fields and rules of the referral form."""

    programme: UUID
    referring_unit: UUID | None = None
    referral_reason: str = Field(max_length=2000)
    consent_method: Literal["in_person", "phone", "written", "referrer"]
    consent_support: bool = Field(description="The citizen agrees that the request is stored.")
    consent_questionnaires: bool = False
    consent_evaluation: bool = False
    consent_share_with_team: bool = False
    in_crisis: bool = Field(
        description="Acute crisis or thoughts of suicide: the request is routed to "
        "professional help at once and the coordinators are told."
    )
    name: str = Field(max_length=200)
    birth_year: int = Field(ge=1900, le=2100)
    municipality: str = Field(max_length=100)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    cpr: str = Field("", max_length=14)
    gender: str = Field("", max_length=16)
    languages: list[str] = Field(default_factory=list, max_length=10)
    contact_times: str = Field("", max_length=200)
    services_contact: str = Field("", max_length=500)
    purposes: list[str] = Field(default_factory=list, max_length=20)
    own_words: str = Field("", max_length=2000)
    forms: list[str] = Field(default_factory=list, max_length=20)
    peer_type: str = Field("no_preference", max_length=16)
    availability: list[str] = Field(default_factory=list, max_length=20)
    wish_gender: str = Field("", max_length=16)
    wish_age_band: str = Field("", max_length=16)
    wish_language: str = Field("", max_length=40)
    wish_shared_experience: str = Field("", max_length=500)


class ReferralCreated(Schema):
    id: UUID
    citizen: UUID
    status: str
    urgent: bool
    below_minimum_age: bool
    possible_duplicate: bool
    crisis_guidance: str | None = Field(
        None, description="For a citizen in crisis: where to get professional help now."
    )


class RequestStatusOut(Schema):
    id: UUID
    citizen: UUID
    programme: UUID
    status: str
    source: str
    urgent: bool
    received_at: datetime
    status_changed_at: datetime
    first_contact_on: date | None
    later_statuses: list[str]


class RequestStatusPage(Schema):
    items: list[RequestStatusOut]
    next_cursor: str | None


class CourseOut(Schema):
    """A support course as dates and counts: no notes, goals or names."""

    id: UUID
    citizen: UUID
    programme: UUID
    request: UUID | None
    status: str
    form: str
    started_on: date
    review_on: date | None
    ended_on: date | None
    end_reason: str
    sessions_held: int
    sessions_planned: int
    sessions_cancelled: int
    last_session_at: datetime | None


class CoursePage(Schema):
    items: list[CourseOut]
    next_cursor: str | None


class ConsentOut(Schema):
    purpose: str
    given: bool
    method: str
    recorded_at: datetime
    shared_with_organisation: UUID | None


class ScoreOut(Schema):
    scale: str
    value: float | None
    answered: int
    missing: int
    prorated: bool


class ResponseOut(Schema):
    """A completed questionnaire response of a citizen: its scores, never the free-text answers."""

    id: UUID
    citizen: UUID
    programme: UUID | None
    instrument: str
    instrument_version: str
    timepoint: str
    answered_on: date | None
    completed_at: datetime
    scores: list[ScoreOut]


class ResponsePage(Schema):
    items: list[ResponseOut]
    next_cursor: str | None


class ReportCellOut(Schema):
    value: float | int | str | list | None = Field(
        description="The raw figure; null where the cell is suppressed or empty."
    )
    text: str = Field(description="The figure as the report page shows it ('< 5', 'skjult').")
    suppressed: bool
    interval: list | None = None


class ReportRowOut(Schema):
    label: str
    cells: dict[str, ReportCellOut]


class ReportColumnOut(Schema):
    key: str
    label: str


class ReportTableOut(Schema):
    key: str
    title: str
    caption: str
    columns: list[ReportColumnOut]
    rows: list[ReportRowOut]


class ReportSectionOut(Schema):
    key: str
    title: str
    tables: list[ReportTableOut]


class ReportOut(Schema):
    start: date
    end: date
    follow_up: str
    programmes: list[UUID]
    suppressed: bool = Field(description="Small cells suppressed, as for an evaluator.")
    suppression_text: str
    caveat: str
    sections: list[ReportSectionOut]
