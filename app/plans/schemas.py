"""Schemas of individual plans (PTI), their needs, goals and reviews."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.catalogs import GoalStatus, PlanDimension, PlanStatus, Priority
from app.integrity import IntegrityErrors
from app.pagination import Page
from app.schemas import AUTHOR_EXAMPLE, AuthorRead, read_model, request_body

_PLAN_ID = "6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
_VICTIM_ID = "3a7c9e1b-2d4f-4b68-9a0c-1e3f5a7b9c2d"
_GOAL_ID = "7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b"
_AUTHOR_ID = "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11"
_TEXT = 2_000

_NEED: dict[str, Any] = {
    "dimension": "identity",
    "description": "No cuenta con DNI.",
    "priority": "high",
}
_GOAL: dict[str, Any] = {
    "dimension": "identity",
    "description": "Tramitar el DNI ante RENIEC.",
    "due_on": "2024-06-30",
    "status": "pending",
}
_REVIEW_EXAMPLE: dict[str, Any] = {
    "id": "8a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d",
    "plan_id": _PLAN_ID,
    "reviewed_on": "2024-06-15",
    "summary": "DNI en trámite; se mantiene la meta.",
    "next_review_on": "2024-09-15",
    "author_id": _AUTHOR_ID,
    "author": AUTHOR_EXAMPLE,
    "goals": [{"goal_id": _GOAL_ID, "status": "in_progress", "note": "Cita en RENIEC."}],
    "created_at": "2024-06-15T16:00:00Z",
}
_PLAN_EXAMPLE: dict[str, Any] = {
    "id": _PLAN_ID,
    "victim_id": _VICTIM_ID,
    "assessed_on": "2024-03-20",
    "status": "in_progress",
    "next_review_on": "2024-06-15",
    "author_id": _AUTHOR_ID,
    "author": AUTHOR_EXAMPLE,
    "version": 2,
    "created_at": "2024-03-20T15:00:00Z",
    "updated_at": "2024-06-15T16:00:00Z",
    "needs": [_NEED | {"id": "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f"}],
    "goals": [_GOAL | {"id": _GOAL_ID, "status": "in_progress"}],
    "reviews": [_REVIEW_EXAMPLE],
}


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dimension: PlanDimension
    description: str | None = Field(default=None, max_length=_TEXT)
    priority: Priority


class GoalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dimension: PlanDimension
    description: str | None = Field(default=None, max_length=_TEXT)
    due_on: date | None = None
    status: GoalStatus = GoalStatus.pending


class GoalEdit(GoalIn):
    """A goal in a PATCH: with `id` it edits that goal of the plan, without it adds one."""

    id: uuid.UUID | None = None


class NeedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    dimension: PlanDimension
    description: str | None
    priority: Priority
    integrity_errors: IntegrityErrors


class GoalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    dimension: PlanDimension
    description: str | None
    due_on: date | None
    status: GoalStatus
    integrity_errors: IntegrityErrors


class PlanCreate(BaseModel):
    model_config = request_body(
        {
            "assessed_on": "2024-03-20",
            "status": "drafted",
            "next_review_on": "2024-06-15",
            "needs": [_NEED],
            "goals": [_GOAL],
        }
    )

    assessed_on: date
    status: PlanStatus = PlanStatus.drafted
    next_review_on: date | None = None
    needs: list[NeedIn] = Field(default_factory=list, max_length=50)
    goals: list[GoalIn] = Field(default_factory=list, max_length=50)


class PlanUpdate(BaseModel):
    """Changes to a plan; `needs` replaces the list, `goals` edits or adds (never removes:
    a goal reviews refer to stays; mark it `dropped`)."""

    model_config = request_body(
        {"version": 1, "status": "in_progress", "next_review_on": "2024-07-01"},
        {
            "version": 2,
            "goals": [
                {
                    "id": _GOAL_ID,
                    "dimension": "identity",
                    "description": "Tramitar el DNI.",
                    "due_on": "2024-07-31",
                    "status": "in_progress",
                }
            ],
        },
    )

    version: int
    assessed_on: date | None = None
    status: PlanStatus | None = None
    next_review_on: date | None = None
    needs: list[NeedIn] | None = Field(default=None, max_length=50)
    goals: list[GoalEdit] | None = Field(default=None, max_length=50)


class ReviewGoalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    goal_id: uuid.UUID
    status: GoalStatus
    note: str | None = Field(default=None, max_length=_TEXT)


class ReviewGoalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    goal_id: uuid.UUID
    status: GoalStatus
    note: str | None
    integrity_errors: IntegrityErrors


class PlanReviewCreate(BaseModel):
    model_config = request_body(
        {
            "reviewed_on": "2024-06-15",
            "goals": [{"goal_id": _GOAL_ID, "status": "in_progress", "note": "Cita en RENIEC."}],
            "summary": "DNI en trámite; se mantiene la meta.",
            "next_review_on": "2024-09-15",
        }
    )

    reviewed_on: date
    goals: list[ReviewGoalIn] = Field(default_factory=list, max_length=50)
    summary: str | None = Field(default=None, max_length=10_000)
    next_review_on: date | None = None


class PlanReviewRead(BaseModel):
    model_config = read_model(_REVIEW_EXAMPLE)

    id: uuid.UUID
    plan_id: uuid.UUID
    reviewed_on: date
    summary: str | None
    next_review_on: date | None
    author_id: uuid.UUID | None
    author: AuthorRead | None = Field(description="Who wrote it (null: imported or older)")
    goals: list[ReviewGoalRead] = Field(validation_alias="goal_updates")
    created_at: datetime
    integrity_errors: IntegrityErrors


class PlanRead(BaseModel):
    model_config = read_model(_PLAN_EXAMPLE)

    id: uuid.UUID
    victim_id: uuid.UUID
    assessed_on: date
    status: PlanStatus
    next_review_on: date | None
    author_id: uuid.UUID | None
    author: AuthorRead | None = Field(description="Who wrote it (null: imported or older)")
    version: int
    created_at: datetime
    updated_at: datetime
    needs: list[NeedRead]
    goals: list[GoalRead]
    reviews: list[PlanReviewRead]


class PlanList(Page[PlanRead]):
    """A page of a victim's plans, latest first."""
