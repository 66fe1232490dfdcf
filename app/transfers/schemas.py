"""Request and response bodies of transfers between teams.

A transfer read carries no identity and no narrative: the case code, the two teams, the
reason and the steps. Its notes are free text and come as null to anyone outside the team
in charge of the case (`notes_hidden` says so).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.catalogs import Team, TransferReason, TransferStatus
from app.pagination import Page
from app.schemas import read_model, request_body

NOTE_MAX = 2_000
_STAFF = {"id": "5a0c1e2f-3b4d-4e6f-8a9b-0c1d2e3f4a5b", "full_name": "Rosa Mamani"}
_READ: dict[str, Any] = {
    "id": "7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5",
    "case_id": "0b6f6a52-6d0e-4b8e-9a0c-3f7d2a1c9e41",
    "case_code": "PUN-2024-0012",
    "from_team": "puno",
    "to_team": "lima",
    "reason": "victim_moved",
    "status": "pending",
    "note": None,
    "notes_hidden": True,
    "decision_note": None,
    "proposed_by": _STAFF,
    "proposed_at": "2024-06-03T15:00:00Z",
    "decided_by": None,
    "decided_at": None,
    "version": 1,
}


class TransferCreate(BaseModel):
    model_config = request_body(
        {
            "version": 3,
            "to_team": "lima",
            "reason": "victim_moved",
            "note": "Se mudó con su hermana a Lima; prefiere atención en la sede de Lima.",
        }
    )

    version: int = Field(description="The version of the case the caller last saw")
    to_team: Team
    reason: TransferReason
    note: str | None = Field(default=None, max_length=NOTE_MAX)


class TransferDecision(BaseModel):
    """The optional note of an acceptance, rejection or withdrawal."""

    model_config = request_body({"note": "Recibido: lo atiende el equipo de Lima."}, {})

    note: str | None = Field(default=None, max_length=NOTE_MAX)


class StaffRef(BaseModel):
    id: uuid.UUID
    full_name: str | None


class TransferRead(BaseModel):
    model_config = read_model(_READ)

    id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    from_team: Team
    to_team: Team
    reason: TransferReason
    status: TransferStatus
    note: str | None = Field(description="Only for the team in charge of the case")
    notes_hidden: bool = Field(description="True when the caller's teams may not read the notes")
    decision_note: str | None
    proposed_by: StaffRef | None
    proposed_at: datetime
    decided_by: StaffRef | None
    decided_at: datetime | None
    version: int


class TransferList(Page[TransferRead]):
    """A page of transfers of the caller's teams (sent or received), newest first."""
