"""Schemas of detections: good and bad practices of institutions witnessed in a case."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.catalogs import AttentionStage, Institution, Polarity, PracticeCategory
from app.integrity import IntegrityErrors

_CREATE: dict[str, Any] = {
    "detected_on": "2024-04-10",
    "polarity": "bad",
    "category": "privacy",
    "institution": "pnp",
    "stage": "complaint",
    "description": "Se tomó la declaración en un espacio abierto al público.",
}
_READ: dict[str, Any] = _CREATE | {
    "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
    "case_id": "0f1e2d3c-4b5a-4697-8877-665544332211",
    "created_by_id": "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11",
    "version": 1,
    "created_at": "2024-04-10T18:00:00Z",
    "updated_at": "2024-04-10T18:00:00Z",
}


class DetectionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                _CREATE,
                {
                    "detected_on": "2024-05-02",
                    "polarity": "good",
                    "category": "coordination",
                    "institution": "udavit",
                    "description": "Coordinó la acogida el mismo día.",
                },
            ]
        },
    )

    detected_on: date
    polarity: Polarity
    category: PracticeCategory
    institution: Institution
    stage: AttentionStage | None = None
    description: str = Field(min_length=1, max_length=5_000)


class DetectionUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"version": 1, "category": "procedural"}]}
    )

    version: int
    detected_on: date | None = None
    polarity: Polarity | None = None
    category: PracticeCategory | None = None
    institution: Institution | None = None
    stage: AttentionStage | None = None
    description: str | None = Field(default=None, min_length=1, max_length=5_000)


class DetectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_READ]})

    id: uuid.UUID
    case_id: uuid.UUID
    detected_on: date
    polarity: Polarity
    category: PracticeCategory
    institution: Institution
    stage: AttentionStage | None
    description: str | None
    created_by_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
    integrity_errors: IntegrityErrors


class DetectionList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_READ], "next_cursor": None}]}
    )

    items: list[DetectionRead]
    next_cursor: str | None = None
