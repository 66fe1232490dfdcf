"""Schemas of consents: given per purpose, revocable."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field, computed_field

from app.catalogs import ConsentPurpose
from app.pagination import Page
from app.schemas import AuthorRead, read_model, request_body
from app.work.schemas import VICTIM_ID, versioned_example

_READ = versioned_example(
    {
        "id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "victim_id": VICTIM_ID,
        "purpose": "publication",
        "given_on": "2024-03-12",
        "revoked_on": None,
        "active": True,
    },
    at="2024-03-12T10:00:00Z",
)


class ConsentCreate(BaseModel):
    model_config = request_body({"purpose": "publication", "given_on": "2024-03-12"})

    purpose: ConsentPurpose
    given_on: date


class ConsentRevoke(BaseModel):
    """The revocation date; `version`, when sent, must be current (stale → 409)."""

    model_config = request_body({"revoked_on": "2024-05-02", "version": 1})

    revoked_on: date
    version: int | None = None


class ConsentRead(BaseModel):
    model_config = read_model(_READ)

    id: uuid.UUID
    victim_id: uuid.UUID
    purpose: ConsentPurpose
    given_on: date
    revoked_on: date | None
    created_by_id: uuid.UUID | None
    author: AuthorRead | None = Field(description="Who wrote it (null: imported or older)")
    version: int
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def active(self) -> bool:
        return self.revoked_on is None


class ConsentList(Page[ConsentRead]):
    """A page of a victim's consents."""
