"""JSON API of individual plans (PTI) and their reviews."""

from __future__ import annotations

from typing import Annotated

from fastapi import Response, status

from app.db import SessionDep
from app.deps import CurrentUser
from app.pagination import Paging
from app.plans import service
from app.plans.deps import VisiblePlan, WritablePlan
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
from app.plans.service import PLANS
from app.victims.deps import VisibleVictim, WritableVictim
from app.work import api

router = api.work_router("plans", PlanNotFound)


@router.post(
    "/victims/{victim_id}/plans",
    response_model=PlanRead,
    status_code=status.HTTP_201_CREATED,
    responses=api.CREATE_ERRORS,
)
def create_plan(
    victim: WritableVictim, body: PlanCreate, session: SessionDep, user: CurrentUser
) -> Plan:
    """Draw up a victim's individual plan from the needs assessment."""
    return service.create_plan(session, victim, body, actor=user)


@router.get("/victims/{victim_id}/plans", response_model=PlanList, responses=api.LIST_ERRORS)
def list_plans(victim: VisibleVictim, session: SessionDep, page: Paging) -> PlanList:
    """List a victim's plans, latest assessment first."""
    return api.listing(PlanList, PLANS.page(session, victim, limit=page.limit, cursor=page.cursor))


@router.get("/plans/{plan_id}", response_model=PlanRead)
def read_plan(plan: VisiblePlan) -> Plan:
    """Read one plan with its needs, goals and reviews."""
    return plan


@router.patch("/plans/{plan_id}", response_model=PlanRead, responses=api.UPDATE_ERRORS)
def update_plan(
    plan: WritablePlan, body: PlanUpdate, session: SessionDep, user: CurrentUser
) -> Plan:
    """Edit a plan (status, dates, needs, goals); a stale `version` is a 409."""
    return service.update_plan(session, plan, body, actor=user)


@router.delete(
    "/plans/{plan_id}", status_code=status.HTTP_204_NO_CONTENT, responses=api.DELETE_ERRORS
)
def delete_plan(_: Annotated[None, api.deleting(PLANS, "plan_id")]) -> Response:
    """Soft-delete a plan (`?version=N`); a coordinator may restore it."""
    return api.no_content()


@router.post("/plans/{plan_id}/restore", response_model=PlanRead, responses=api.RESTORE_ERRORS)
def restore_plan(
    plan: Annotated[Plan, api.restoring(PLANS, "plan_id")],
) -> Plan:
    """Restore a deleted plan (coordinators of the team)."""
    return plan


@router.post(
    "/plans/{plan_id}/reviews",
    response_model=PlanReviewRead,
    status_code=status.HTTP_201_CREATED,
    responses=api.CREATE_ERRORS,
)
def add_plan_review(
    plan: WritablePlan, body: PlanReviewCreate, session: SessionDep, user: CurrentUser
) -> PlanReview:
    """Review a plan: record the goals' statuses, a summary and the next review date."""
    return service.add_plan_review(session, plan, body, actor=user)
