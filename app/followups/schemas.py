"""Schemas of follow-ups: the entry written, and the entry read (narrative maybe hidden)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.catalogs import ActionStatus, ActionType, FollowUpKind, Institution
from app.integrity import IntegrityErrors
from app.pagination import Page
from app.schemas import AUTHOR_EXAMPLE, AuthorRead, request_body

_ID = "9c5b2e1a-7d3f-4a60-8b1e-2f4c6d8a0b13"
_OLD_ID = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"
_VICTIM_ID = "3a7c9e1b-2d4f-4b68-9a0c-1e3f5a7b9c2d"
_AUTHOR_ID = "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11"


_READ_EXAMPLE: dict[str, Any] = {
    "id": _ID,
    "victim_id": _VICTIM_ID,
    "occurred_on": "2024-04-02",
    "kind": "legal",
    "narrative": "Acompañamiento a la declaración ante la fiscalía.",
    "narrative_hidden": False,
    "actions": [{"type": "accompaniment", "institution": "fistrap", "status": "done"}],
    "author_id": _AUTHOR_ID,
    "author": AUTHOR_EXAMPLE,
    "supersedes": None,
    "superseded_by": None,
    "created_at": "2024-04-02T15:04:05Z",
}


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: ActionType
    institution: Institution | None = None
    status: ActionStatus
    due_on: date | None = Field(
        default=None, description="When a planned action is meant to happen (the agenda)."
    )


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    type: ActionType
    institution: Institution | None = None
    status: ActionStatus
    due_on: date | None = None


class FollowUpCreate(BaseModel):
    model_config = request_body(
        {
            "occurred_on": "2024-04-02",
            "kind": "legal",
            "narrative": "Acompañamiento a la declaración ante la fiscalía.",
            "actions": [{"type": "accompaniment", "institution": "fistrap", "status": "done"}],
        },
        {
            "occurred_on": "2024-04-02",
            "kind": "legal",
            "narrative": "Corrección: la declaración fue ante la FISTRAP de Lima.",
            "actions": [{"type": "accompaniment", "institution": "fistrap", "status": "done"}],
            "supersedes": _OLD_ID,
        },
    )

    occurred_on: date
    kind: FollowUpKind
    narrative: str = Field(min_length=1, max_length=20_000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)
    supersedes: uuid.UUID | None = None


class FollowUpRead(BaseModel):
    """A follow-up; `narrative` is null when the caller may not read it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _READ_EXAMPLE,
                {
                    "id": _ID,
                    "victim_id": _VICTIM_ID,
                    "occurred_on": "2024-04-03",
                    "kind": "psychological",
                    "narrative": None,
                    "narrative_hidden": True,
                    "actions": [
                        {"type": "psychological_care", "institution": None, "status": "done"}
                    ],
                    "author_id": _AUTHOR_ID,
                    "author": AUTHOR_EXAMPLE,
                    "supersedes": None,
                    "superseded_by": _OLD_ID,
                    "created_at": "2024-04-03T10:00:00Z",
                },
            ]
        }
    )

    id: uuid.UUID
    victim_id: uuid.UUID
    occurred_on: date
    kind: FollowUpKind
    narrative: str | None
    narrative_hidden: bool = Field(
        description="True when a narrative exists but the caller may not read it."
    )
    actions: list[ActionRead]
    author_id: uuid.UUID | None
    author: AuthorRead | None = Field(description="Who wrote it (null: imported or older)")
    supersedes: uuid.UUID | None
    superseded_by: uuid.UUID | None = Field(
        description="The correction replacing this entry; superseded entries leave every count."
    )
    created_at: datetime
    integrity_errors: IntegrityErrors


class FollowUpList(Page[FollowUpRead]):
    """A page of a victim's follow-ups, latest first."""
