"""JSON API of individual plans (PTI) and their reviews."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import NotAllowed, NotAuthenticated, error_responses
from app.followups.service import get_writable_victim
from app.pagination import DEFAULT_LIMIT, Cursor, Limit
from app.plans import service
from app.plans.errors import PlanNotFound
from app.plans.models import Plan, PlanReview
from app.plans.schemas import (
    PlanCreate,
    PlanList,
    PlanRead,
    PlanReviewCreate,
    PlanReviewRead,
    PlanUpdate,
)
from app.scope import get_visible_victim
from app.work.api import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    LIST_ERRORS,
    RESTORE_ERRORS,
    UPDATE_ERRORS,
    DeleteVersion,
    VersionIn,
    no_content,
)

router = APIRouter(
    prefix="/api/v1",
    tags=["plans"],
    responses=error_responses(NotAuthenticated, NotAllowed, PlanNotFound),
)


@router.post(
    "/victims/{victim_id}/plans",
    response_model=PlanRead,
    status_code=status.HTTP_201_CREATED,
    responses=CREATE_ERRORS,
)
def create_plan(
    victim_id: uuid.UUID, body: PlanCreate, session: SessionDep, user: CurrentUser
) -> Plan:
    """Draw up a victim's individual plan from the needs assessment."""
    victim = get_writable_victim(session, user, victim_id)
    return service.create_plan(session, victim, body, actor=user)


@router.get("/victims/{victim_id}/plans", response_model=PlanList, responses=LIST_ERRORS)
def list_plans(
    victim_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PlanList:
    """List a victim's plans, latest assessment first."""
    victim = get_visible_victim(session, user, victim_id)
    items, next_cursor = service.list_plans(session, victim, limit=limit, cursor=cursor)
    return PlanList(items=[PlanRead.model_validate(p) for p in items], next_cursor=next_cursor)


@router.get("/plans/{plan_id}", response_model=PlanRead)
def read_plan(plan_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Plan:
    """Read one plan with its needs, goals and reviews."""
    return service.get_visible_plan(session, user, plan_id)


@router.patch("/plans/{plan_id}", response_model=PlanRead, responses=UPDATE_ERRORS)
def update_plan(
    plan_id: uuid.UUID, body: PlanUpdate, session: SessionDep, user: CurrentUser
) -> Plan:
    """Edit a plan (status, dates, needs, goals); a stale `version` is a 409."""
    plan = service.get_writable_plan(session, user, plan_id)
    return service.update_plan(session, plan, body, actor=user)


@router.delete("/plans/{plan_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_ERRORS)
def delete_plan(
    plan_id: uuid.UUID, version: DeleteVersion, session: SessionDep, user: CurrentUser
) -> Response:
    """Soft-delete a plan (`?version=N`); a coordinator may restore it."""
    plan = service.get_writable_plan(session, user, plan_id)
    service.delete_plan(session, plan, version=version, actor=user)
    return no_content()


@router.post("/plans/{plan_id}/restore", response_model=PlanRead, responses=RESTORE_ERRORS)
def restore_plan(
    plan_id: uuid.UUID, body: VersionIn, session: SessionDep, user: CurrentUser
) -> Plan:
    """Restore a deleted plan (coordinators of the team)."""
    plan = service.get_restorable_plan(session, user, plan_id)
    return service.restore_plan(session, plan, version=body.version, actor=user)


@router.post(
    "/plans/{plan_id}/reviews",
    response_model=PlanReviewRead,
    status_code=status.HTTP_201_CREATED,
    responses=CREATE_ERRORS,
)
def add_plan_review(
    plan_id: uuid.UUID, body: PlanReviewCreate, session: SessionDep, user: CurrentUser
) -> PlanReview:
    """Review a plan: record the goals' statuses, a summary and the next review date."""
    plan = service.get_writable_plan(session, user, plan_id)
    return service.add_plan_review(session, plan, body, actor=user)
