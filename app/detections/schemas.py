"""Schemas of detections: good and bad practices of institutions witnessed in a case."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from app.catalogs import AttentionStage, Institution, Polarity, PracticeCategory
from app.integrity import IntegrityErrors
from app.pagination import Page
from app.schemas import AuthorRead, read_model, request_body
from app.work.schemas import versioned_example

_CREATE: dict[str, Any] = {
    "detected_on": "2024-04-10",
    "polarity": "bad",
    "category": "privacy",
    "institution": "pnp",
    "stage": "complaint",
    "description": "Se tomó la declaración en un espacio abierto al público.",
}
_READ = versioned_example(
    _CREATE
    | {
        "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
        "case_id": "0f1e2d3c-4b5a-4697-8877-665544332211",
    },
    at="2024-04-10T18:00:00Z",
)


class DetectionCreate(BaseModel):
    model_config = request_body(
        _CREATE,
        {
            "detected_on": "2024-05-02",
            "polarity": "good",
            "category": "coordination",
            "institution": "udavit",
            "description": "Coordinó la acogida el mismo día.",
        },
    )

    detected_on: date
    polarity: Polarity
    category: PracticeCategory
    institution: Institution
    stage: AttentionStage | None = None
    description: str = Field(min_length=1, max_length=5_000)


class DetectionUpdate(BaseModel):
    model_config = request_body({"version": 1, "category": "procedural"})

    version: int
    detected_on: date | None = None
    polarity: Polarity | None = None
    category: PracticeCategory | None = None
    institution: Institution | None = None
    stage: AttentionStage | None = None
    description: str | None = Field(default=None, min_length=1, max_length=5_000)


class DetectionRead(BaseModel):
    model_config = read_model(_READ)

    id: uuid.UUID
    case_id: uuid.UUID
    detected_on: date
    polarity: Polarity
    category: PracticeCategory
    institution: Institution
    stage: AttentionStage | None
    description: str | None
    created_by_id: uuid.UUID | None
    author: AuthorRead | None = Field(description="Who wrote it (null: imported or older)")
    version: int
    created_at: datetime
    updated_at: datetime
    integrity_errors: IntegrityErrors


class DetectionList(Page[DetectionRead]):
    """A page of a case's detections, latest first."""
