"""Request and response bodies of the cases API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.caseload.schemas import AssignmentRead
from app.catalogs import (
    AttentionStage,
    CaseStatus,
    CloseReason,
    Institution,
    Polarity,
    PracticeCategory,
    Sex,
    Team,
    Typology,
)
from app.db import today
from app.errors import rule_error
from app.integrity import IntegrityErrors
from app.pagination import Page
from app.schemas import AUTHOR_EXAMPLE as AUTHOR
from app.schemas import AuthorRead, read_model, request_body

CASE_ID = "0b6f6a52-6d0e-4b8e-9a0c-3f7d2a1c9e41"
SUMMARY_MAX = 20_000


def not_future(value: date | None) -> date | None:
    if value is not None and value > today():
        raise rule_error("date_in_future")
    return value


class CaseCreate(BaseModel):
    model_config = request_body(
        {
            "team": "lima",
            "opened_on": "2024-03-12",
            "referred_by": "fiscalia",
            "summary": "Derivada por la fiscalía tras un operativo.",
        }
    )

    team: Team
    opened_on: date
    referred_by: Institution | None = None
    summary: str | None = Field(default=None, max_length=SUMMARY_MAX)

    _opened = field_validator("opened_on")(not_future)


class CaseUpdate(BaseModel):
    """Partial update; `status` moves only between open and follow_up (close has its own call)."""

    model_config = request_body({"version": 2, "status": "follow_up", "referred_by": "mimp"})

    version: int
    summary: str | None = Field(default=None, max_length=SUMMARY_MAX)
    referred_by: Institution | None = None
    status: CaseStatus | None = None

    @field_validator("status")
    @classmethod
    def _not_closed(cls, value: CaseStatus | None) -> CaseStatus | None:
        if value == CaseStatus.closed:
            raise rule_error("close_with_endpoint")
        if value is None:
            raise rule_error("required")
        return value


class CaseClose(BaseModel):
    model_config = request_body(
        {
            "version": 3,
            "closed_on": "2024-11-30",
            "close_reason": "goals_met",
            "note": "Reintegración familiar concluida.",
        }
    )

    version: int
    closed_on: date
    close_reason: CloseReason
    note: str | None = Field(default=None, max_length=SUMMARY_MAX)

    _closed = field_validator("closed_on")(not_future)


class CaseReopen(BaseModel):
    model_config = request_body(
        {"version": 4, "reason": "Nueva denuncia presentada por la víctima."}
    )

    version: int
    reason: str = Field(min_length=1, max_length=SUMMARY_MAX)


class VersionBody(BaseModel):
    """The version the caller last saw (restore)."""

    model_config = request_body({"version": 5})

    version: int


_CASE_ITEM_EXAMPLE: dict[str, Any] = {
    "id": CASE_ID,
    "code": "LIM-2024-0042",
    "team": "lima",
    "opened_by_team": "lima",
    "opened_on": "2024-03-12",
    "status": "open",
    "closed_on": None,
    "close_reason": None,
    "referred_by": "fiscalia",
    "version": 1,
    "author": AUTHOR,
    "created_at": "2024-03-12T15:04:05Z",
}


class CaseItem(BaseModel):
    """A case in a list: no free text."""

    model_config = read_model(_CASE_ITEM_EXAMPLE)

    id: uuid.UUID
    code: str
    team: Team
    opened_by_team: Team = Field(
        description="The team that opened the case: statistics count it there, even after "
        "a transfer moved it to `team`"
    )
    opened_on: date
    status: CaseStatus
    closed_on: date | None
    close_reason: CloseReason | None
    referred_by: Institution | None
    version: int
    author: AuthorRead | None
    created_at: datetime


_CASE_READ_EXAMPLE: dict[str, Any] = {
    **_CASE_ITEM_EXAMPLE,
    "summary": "Derivada por la fiscalía tras un operativo.",
    "updated_at": "2024-03-12T15:04:05Z",
}


class CaseRead(CaseItem):
    model_config = read_model(_CASE_READ_EXAMPLE)

    summary: str | None
    updated_at: datetime
    integrity_errors: IntegrityErrors


class CaseList(Page[CaseItem]):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [CaseItem.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
                    "next_cursor": "WyIyMDI0LTAzLTEyIiwiMGI2ZiJd",
                }
            ]
        }
    )


class VictimBrief(BaseModel):
    """A victim as the case page lists it: profile codes only, no identity."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    intake_on: date
    sex: Sex
    age_at_intake: int
    nationality: str
    typology: Typology
    version: int
    author: AuthorRead | None
    created_at: datetime


class DetectionBrief(BaseModel):
    """A detection as the case page summarises it (its description is read elsewhere)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    detected_on: date
    polarity: Polarity
    category: PracticeCategory
    institution: Institution
    stage: AttentionStage | None


class StatusChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: CaseStatus | None
    to_status: CaseStatus
    on: date
    at: datetime
    close_reason: CloseReason | None


class CaseDetail(CaseRead):
    model_config = read_model(
        {
            **_CASE_READ_EXAMPLE,
            "victims": [
                {
                    "id": "5d1c2b3a-0f9e-4d8c-b7a6-958473625140",
                    "code": "LIM-2024-0042-V1",
                    "intake_on": "2024-03-12",
                    "sex": "female",
                    "age_at_intake": 15,
                    "nationality": "VE",
                    "typology": "trafficking",
                    "version": 1,
                    "author": AUTHOR,
                    "created_at": "2024-03-12T15:04:05Z",
                }
            ],
            "detections": [
                {
                    "id": "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918",
                    "detected_on": "2024-04-02",
                    "polarity": "bad",
                    "category": "privacy",
                    "institution": "pnp",
                    "stage": "complaint",
                }
            ],
            "status_changes": [
                {
                    "from_status": None,
                    "to_status": "open",
                    "on": "2024-03-12",
                    "at": "2024-03-12T15:04:05Z",
                    "close_reason": None,
                }
            ],
            "assignments": AssignmentRead.model_config["json_schema_extra"]["examples"],  # type: ignore[index]
        }
    )

    victims: list[VictimBrief]
    detections: list[DetectionBrief]
    status_changes: list[StatusChangeRead]
    assignments: list[AssignmentRead] = Field(description="The current assignments, lead first")
