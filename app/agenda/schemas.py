"""Schemas of the agenda: one computed item per thing due, and a page of them."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.pagination import Page


class AgendaKind(StrEnum):
    """What is due. Not a stored catalog: items are computed, never written."""

    plan_review = "plan_review"
    goal_due = "goal_due"
    measure_ends = "measure_ends"
    reflection_ends = "reflection_ends"
    action_planned = "action_planned"
    referral_unanswered = "referral_unanswered"


class AgendaScope(StrEnum):
    mine = "mine"
    team = "team"


# The Spanish label of each kind; catalog labels of the record follow after a colon.
KIND_LABELS: dict[AgendaKind, str] = {
    AgendaKind.plan_review: "Revisión del plan",
    AgendaKind.goal_due: "Objetivo del plan",
    AgendaKind.measure_ends: "Término de medida de protección",
    AgendaKind.reflection_ends: "Fin del periodo de reflexión",
    AgendaKind.action_planned: "Acción prevista",
    AgendaKind.referral_unanswered: "Derivación sin respuesta",
}

_EXAMPLE: dict[str, Any] = {
    "kind": "referral_unanswered",
    "due_on": "2026-12-01",
    "overdue": True,
    "case_id": "5d1f4c2e-8a3b-4e6f-9c10-2b7d8e9f0a1b",
    "case_code": "LIM-2026-0042",
    "victim_id": "3a7c9e1b-2d4f-4b68-9a0c-1e3f5a7b9c2d",
    "victim_code": "LIM-2026-0042-V1",
    "record_type": "referral",
    "record_id": "7e2a9c4b-1d3f-4a5e-8b6c-0f1e2d3c4b5a",
    "label": "Derivación sin respuesta: FISTRAP",
}


class AgendaItem(BaseModel):
    """One thing due on an open case: when, whether it is overdue, and the record it
    comes from. `label` holds the kind and catalog labels only (never identity or free
    text)."""

    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [_EXAMPLE]})

    kind: AgendaKind
    due_on: date
    overdue: bool = Field(description="`due_on` is before today.")
    case_id: uuid.UUID
    case_code: str
    victim_id: uuid.UUID
    victim_code: str
    record_type: str = Field(
        description="plan, protection_measure, victim, follow_up or referral: the record to open."
    )
    record_id: uuid.UUID
    label: str


class AgendaList(Page[AgendaItem]):
    """A page of the agenda, earliest due first."""
