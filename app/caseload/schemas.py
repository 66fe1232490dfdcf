"""Request and response bodies of the caseload API (assignments, staff, caseload)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import BaseModel

from app.catalogs import Responsibility, Role, Team
from app.schemas import AUTHOR_EXAMPLE, AuthorRead, read_model, request_body

USER_ID = "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11"
OTHER_USER_ID = "9d2e4f60-7a1b-4c3d-8e5f-0a1b2c3d4e5f"
CASE_ID = "0b6f3c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c"
_USER = AUTHOR_EXAMPLE


class AssignmentCreate(BaseModel):
    model_config = request_body({"user_id": USER_ID, "responsibility": "lead"})

    user_id: uuid.UUID
    responsibility: Responsibility


class AssignmentEnd(BaseModel):
    """When it ended (today when left out; not future, not before it started)."""

    model_config = request_body({}, {"until": "2026-11-30"})

    until: date | None = None


_ASSIGNMENT: dict[str, Any] = {
    "id": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
    "user": _USER,
    "responsibility": "lead",
    "since": "2026-11-02",
    "until": None,
}


class AssignmentRead(BaseModel):
    model_config = read_model(_ASSIGNMENT)

    id: uuid.UUID
    user: AuthorRead
    responsibility: Responsibility
    since: date
    until: date | None


class Reassign(BaseModel):
    """Every current assignment of one person to another (optionally one team, one
    responsibility): what a coordinator does when someone leaves."""

    model_config = request_body(
        {"from_user_id": USER_ID, "to_user_id": OTHER_USER_ID},
        {
            "from_user_id": USER_ID,
            "to_user_id": OTHER_USER_ID,
            "team": "lima",
            "responsibility": "lead",
        },
    )

    from_user_id: uuid.UUID
    to_user_id: uuid.UUID
    team: Team | None = None
    responsibility: Responsibility | None = None


class SkippedAssignment(BaseModel):
    case_id: uuid.UUID
    case_code: str
    responsibility: Responsibility


class ReassignResult(BaseModel):
    """`skipped`: the assignments left in place, on cases of teams the new person is not in."""

    model_config = read_model(
        {
            "moved": 12,
            "skipped": [
                {"case_id": CASE_ID, "case_code": "CUS-2025-0007", "responsibility": "legal"}
            ],
        }
    )

    moved: int
    skipped: list[SkippedAssignment]


class StaffMember(BaseModel):
    model_config = read_model(_USER | {"role": "psychologist", "active": True})

    id: uuid.UUID
    full_name: str
    role: Role
    active: bool


class StaffList(BaseModel):
    model_config = read_model({"items": [_USER | {"role": "psychologist", "active": True}]})

    items: list[StaffMember]


class WorkerLoad(BaseModel):
    """One worker's load: open cases where they hold a current assignment, the live victims
    of those cases, and overdue agenda items of those cases."""

    user: AuthorRead
    open_cases: int
    victims: int
    overdue: int


class Caseload(BaseModel):
    """Per active worker of the teams; `unassigned_open_cases`: open cases without a current
    lead who is an active member of staff ("sin responsable")."""

    model_config = read_model(
        {
            "items": [{"user": _USER, "open_cases": 14, "victims": 17, "overdue": 3}],
            "unassigned_open_cases": 2,
        }
    )

    items: list[WorkerLoad]
    unassigned_open_cases: int
