"""Schemas of protection measures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from app.catalogs import Institution, ProtectionMeasureKind
from app.pagination import Page
from app.schemas import AuthorRead, read_model, request_body
from app.work.schemas import VICTIM_ID, versioned_example

_CREATE: dict[str, Any] = {
    "kind": "identity_reserve",
    "institution": "fiscalia",
    "granted_on": "2024-03-18",
    "ends_on": None,
}
_READ = versioned_example(
    _CREATE | {"id": "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d", "victim_id": VICTIM_ID},
    at="2024-03-18T12:00:00Z",
)


class MeasureCreate(BaseModel):
    model_config = request_body(
        _CREATE,
        {
            "kind": "shelter",
            "institution": "car",
            "granted_on": "2024-03-20",
            "ends_on": "2024-09-20",
        },
    )

    kind: ProtectionMeasureKind
    institution: Institution
    granted_on: date
    ends_on: date | None = None


class MeasureUpdate(BaseModel):
    model_config = request_body({"version": 1, "ends_on": "2024-12-31"})

    version: int
    kind: ProtectionMeasureKind | None = None
    institution: Institution | None = None
    granted_on: date | None = None
    ends_on: date | None = None


class MeasureRead(BaseModel):
    model_config = read_model(_READ)

    id: uuid.UUID
    victim_id: uuid.UUID
    kind: ProtectionMeasureKind
    institution: Institution
    granted_on: date
    ends_on: date | None
    created_by_id: uuid.UUID | None
    author: AuthorRead | None = Field(description="Who wrote it (null: imported or older)")
    version: int
    created_at: datetime
    updated_at: datetime


class MeasureList(Page[MeasureRead]):
    """A page of a victim's protection measures, latest granted first."""
