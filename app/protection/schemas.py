"""Schemas of protection measures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.catalogs import Institution, ProtectionMeasureKind

_CREATE: dict[str, Any] = {
    "kind": "identity_reserve",
    "institution": "fiscalia",
    "granted_on": "2024-03-18",
    "ends_on": None,
}
_READ: dict[str, Any] = _CREATE | {
    "id": "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
    "victim_id": "3a7c9e1b-2d4f-4b68-9a0c-1e3f5a7b9c2d",
    "created_by_id": "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11",
    "version": 1,
    "created_at": "2024-03-18T12:00:00Z",
    "updated_at": "2024-03-18T12:00:00Z",
}


class MeasureCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                _CREATE,
                {
                    "kind": "shelter",
                    "institution": "car",
                    "granted_on": "2024-03-20",
                    "ends_on": "2024-09-20",
                },
            ]
        },
    )

    kind: ProtectionMeasureKind
    institution: Institution
    granted_on: date
    ends_on: date | None = None


class MeasureUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"version": 1, "ends_on": "2024-12-31"}]}
    )

    version: int
    kind: ProtectionMeasureKind | None = None
    institution: Institution | None = None
    granted_on: date | None = None
    ends_on: date | None = None


class MeasureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_READ]})

    id: uuid.UUID
    victim_id: uuid.UUID
    kind: ProtectionMeasureKind
    institution: Institution
    granted_on: date
    ends_on: date | None
    created_by_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


class MeasureList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_READ], "next_cursor": None}]}
    )

    items: list[MeasureRead]
    next_cursor: str | None = None
