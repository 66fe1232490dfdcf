"""JSON API of the caseload: team staff, assignments of staff to cases, the coordinator's
caseload and bulk reassignment."""

from __future__ import annotations

import uuid

from fastapi import status

from app.caseload import counts, service
from app.caseload.errors import AssignmentEnded, AssignmentExists, AssignmentNotFound, TeamNotFound
from app.caseload.models import Assignment
from app.caseload.schemas import (
    AssignmentCreate,
    AssignmentEnd,
    AssignmentRead,
    Caseload,
    Reassign,
    ReassignResult,
    StaffList,
)
from app.catalogs import Team
from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import InvalidInput, error_responses
from app.scope import CaseNotFound, get_visible_case
from app.work.api import work_router

router = work_router("caseload")


@router.get(
    "/teams/{team}/staff", response_model=StaffList, responses=error_responses(TeamNotFound)
)
def team_staff(team: Team, session: SessionDep, user: CurrentUser) -> StaffList:
    """The staff of one of the caller's teams (inactive ones marked), to pick whom to assign."""
    return StaffList.model_validate({"items": service.staff_of_team(session, user, team)})


@router.post(
    "/cases/{case_id}/assignments",
    response_model=AssignmentRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(CaseNotFound, AssignmentExists, InvalidInput),
)
def assign(
    case_id: uuid.UUID, body: AssignmentCreate, session: SessionDep, user: CurrentUser
) -> Assignment:
    """Assign active staff of the case's team (else 422) to the case with a responsibility;
    a new `lead` ends the current one."""
    case = get_visible_case(session, user, case_id)
    return service.assign(session, case, body, actor=user)


@router.post(
    "/assignments/reassign",
    response_model=ReassignResult,
    responses=error_responses(TeamNotFound, InvalidInput),
)
def reassign(body: Reassign, session: SessionDep, user: CurrentUser) -> ReassignResult:
    """Coordinators: move every current assignment of one person to another (optionally of
    one team and one responsibility); cases of teams the new person is not in are skipped."""
    return service.reassign(session, body, actor=user)


@router.post(
    "/assignments/{assignment_id}/end",
    response_model=AssignmentRead,
    responses=error_responses(AssignmentNotFound, AssignmentEnded, InvalidInput),
)
def end_assignment(
    assignment_id: uuid.UUID, body: AssignmentEnd, session: SessionDep, user: CurrentUser
) -> Assignment:
    """End an assignment (today, or `until`); it stays in the case's history. Ended: 409."""
    assignment = service.visible_assignment(session, user, assignment_id)
    return service.end(session, assignment, body, actor=user)


@router.get("/caseload", response_model=Caseload, responses=error_responses(TeamNotFound))
def caseload(session: SessionDep, user: CurrentUser, team: Team | None = None) -> Caseload:
    """Coordinators: per active worker of their teams (or `team`) the open cases they hold,
    those cases' victims and overdue agenda items; and the open cases without an active lead."""
    return counts.caseload(session, user, team)
