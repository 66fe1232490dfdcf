"""Schemas of consents: given per purpose, revocable."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from app.catalogs import ConsentPurpose

_READ: dict[str, Any] = {
    "id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    "victim_id": "3a7c9e1b-2d4f-4b68-9a0c-1e3f5a7b9c2d",
    "purpose": "publication",
    "given_on": "2024-03-12",
    "revoked_on": None,
    "active": True,
    "created_by_id": "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11",
    "version": 1,
    "created_at": "2024-03-12T10:00:00Z",
    "updated_at": "2024-03-12T10:00:00Z",
}


class ConsentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"purpose": "publication", "given_on": "2024-03-12"}]},
    )

    purpose: ConsentPurpose
    given_on: date


class ConsentRevoke(BaseModel):
    """The revocation date; `version`, when sent, must be current (stale → 409)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"revoked_on": "2024-05-02", "version": 1}]}
    )

    revoked_on: date
    version: int | None = None


class ConsentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_READ]})

    id: uuid.UUID
    victim_id: uuid.UUID
    purpose: ConsentPurpose
    given_on: date
    revoked_on: date | None
    created_by_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def active(self) -> bool:
        return self.revoked_on is None


class ConsentList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_READ], "next_cursor": None}]}
    )

    items: list[ConsentRead]
    next_cursor: str | None = None
