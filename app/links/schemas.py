"""Schemas of links between two victim records of the same person."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from app.catalogs import Team
from app.integrity import IntegrityErrors
from app.pagination import Page
from app.schemas import read_model, request_body
from app.work.schemas import VICTIM_ID, versioned_example

OTHER_ID = "7e1d2c3b-4a59-4f68-8b7a-6c5d4e3f2a10"
_CREATE: dict[str, Any] = {
    "other_victim_id": OTHER_ID,
    "reason": "Misma fecha de nacimiento y documento; atendida de nuevo en 2024.",
}
_OTHER: dict[str, Any] = {
    "id": OTHER_ID,
    "code": "CUS-2019-0007-V1",
    "case_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    "case_code": "CUS-2019-0007",
    "team": "cusco",
    "intake_on": "2019-06-03",
}
_READ = versioned_example(
    _CREATE
    | {
        "id": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
        "victim_id": VICTIM_ID,
        "other": _OTHER,
        "integrity_errors": [],
    },
    at="2024-03-15T14:00:00Z",
)


class LinkCreate(BaseModel):
    """Link the victim of the path with another one the caller may see (same person)."""

    model_config = request_body(_CREATE)

    other_victim_id: uuid.UUID
    reason: str | None = Field(default=None, max_length=2_000)


class LinkedVictim(BaseModel):
    """The other record of the pair: where it is, never who."""

    id: uuid.UUID
    code: str
    case_id: uuid.UUID
    case_code: str
    team: Team
    intake_on: date


class LinkRead(BaseModel):
    """A link as seen from `victim_id` (the victim the request named): `other` is the
    other record, whichever of the two created the link."""

    model_config = read_model(_READ)

    id: uuid.UUID
    victim_id: uuid.UUID
    other_victim_id: uuid.UUID
    other: LinkedVictim
    reason: str | None
    created_by_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
    integrity_errors: IntegrityErrors


class LinkList(Page[LinkRead]):
    """A page of a victim's links, latest first."""
