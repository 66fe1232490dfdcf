"""Individual plans (PTI): create, list, edit, soft-delete/restore and periodic reviews."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.audit.models import AuditAction
from app.pagination import DEFAULT_LIMIT
from app.plans.errors import PlanNotFound
from app.plans.models import Plan, PlanGoal, PlanNeed, PlanReview, PlanReviewGoal
from app.plans.schemas import GoalIn, NeedIn, PlanCreate, PlanReviewCreate, PlanUpdate
from app.scope import ensure_case_writer, ensure_restorer
from app.users.models import User
from app.victims.models import Victim
from app.work.checks import Problems, case_opened_on
from app.work.lifecycle import (
    apply_changes,
    check_version,
    get_work_record,
    record_write,
    restore_deleted,
    save_new,
    save_update,
    soft_delete,
    touch,
)
from app.work.pages import dated_page

RECORD_TYPE = "plan"
AFTER_ASSESSMENT = "La fecha no puede ser anterior a la evaluación del plan."
AFTER_REVIEW = "La próxima revisión no puede ser anterior a esta revisión."


def _full() -> tuple[Any, ...]:
    # Built on call: options at import time would configure the mappers too early.
    return (
        selectinload(Plan.needs),
        selectinload(Plan.goals),
        selectinload(Plan.reviews).selectinload(PlanReview.goal_updates),
    )


def get_visible_plan(
    session: Session, user: User, plan_id: uuid.UUID, *, include_deleted: bool = False
) -> Plan:
    """A plan of a victim the caller may see, fully loaded (404 otherwise)."""
    return get_work_record(
        session,
        user,
        Plan,
        plan_id,
        not_found=PlanNotFound,
        include_deleted=include_deleted,
        options=_full,
    )


def get_writable_plan(session: Session, user: User, plan_id: uuid.UUID) -> Plan:
    """A plan the caller may change: 403 for roles that never write, else as visible."""
    ensure_case_writer(user)
    return get_visible_plan(session, user, plan_id)


def get_restorable_plan(session: Session, user: User, plan_id: uuid.UUID) -> Plan:
    """A (deleted) plan of the coordinator's teams."""
    ensure_restorer(user)
    return get_visible_plan(session, user, plan_id, include_deleted=True)


def _check_dates(
    problems: Problems,
    *,
    assessed_on: date,
    opened_on: date | None,
    next_review_on: date | None,
    goals: list[tuple[int, date | None]],
) -> None:
    problems.past_date("assessed_on", assessed_on, not_before=opened_on)
    problems.not_before("next_review_on", next_review_on, assessed_on, AFTER_ASSESSMENT)
    for i, due_on in goals:
        problems.not_before(f"goals.{i}.due_on", due_on, assessed_on, AFTER_ASSESSMENT)


def _need(n: NeedIn) -> PlanNeed:
    return PlanNeed(dimension=n.dimension, description=n.description, priority=n.priority)


def _goal(g: GoalIn, position: int) -> PlanGoal:
    return PlanGoal(
        position=position,
        dimension=g.dimension,
        description=g.description,
        due_on=g.due_on,
        status=g.status,
    )


def create_plan(session: Session, victim: Victim, data: PlanCreate, *, actor: User) -> Plan:
    """Draw up a plan from the needs assessment."""
    ensure_case_writer(actor)
    problems = Problems()
    _check_dates(
        problems,
        assessed_on=data.assessed_on,
        opened_on=case_opened_on(session, victim),
        next_review_on=data.next_review_on,
        goals=[(i, g.due_on) for i, g in enumerate(data.goals)],
    )
    problems.raise_if_any()
    plan = Plan(
        victim_id=victim.id,
        assessed_on=data.assessed_on,
        status=data.status,
        next_review_on=data.next_review_on,
        author_id=actor.id,
        needs=[_need(n) for n in data.needs],
        goals=[_goal(g, i) for i, g in enumerate(data.goals)],
        reviews=[],
    )
    save_new(
        session,
        plan,
        actor=actor,
        record_type=RECORD_TYPE,
        fields=data.model_dump(exclude_unset=True).keys(),
    )
    return plan


def list_plans(
    session: Session, victim: Victim, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> tuple[list[Plan], str | None]:
    """The victim's plans (deleted ones left out), latest assessment first."""
    stmt = (
        select(Plan).where(Plan.victim_id == victim.id, Plan.deleted_at.is_(None)).options(*_full())
    )
    return dated_page(session, stmt, Plan, "assessed_on", limit=limit, cursor=cursor)


def update_plan(session: Session, plan: Plan, data: PlanUpdate, *, actor: User) -> Plan:
    """Edit a plan; `needs` replaces the list, `goals` edits (by id) or adds goals."""
    ensure_case_writer(actor)
    check_version(plan, data.version)
    sent = data.model_dump(exclude_unset=True, exclude={"version", "needs", "goals"})
    for name in ("assessed_on", "status"):
        if name in sent and sent[name] is None:
            sent.pop(name)  # required fields: null means "leave as is"
    assessed_on = sent.get("assessed_on", plan.assessed_on)
    problems = Problems()
    goals_by_id = {g.id: g for g in plan.goals}
    for i, g in enumerate(data.goals or []):
        if g.id is not None and g.id not in goals_by_id:
            problems.add(f"goals.{i}.id", "La meta no pertenece a este plan.")
    victim = session.get_one(Victim, plan.victim_id)
    # Only what this request sends is checked: stored dates were checked when written.
    _check_dates(
        problems,
        assessed_on=assessed_on,
        opened_on=case_opened_on(session, victim) if "assessed_on" in sent else None,
        next_review_on=sent.get("next_review_on", plan.next_review_on),
        goals=[(i, g.due_on) for i, g in enumerate(data.goals or [])],
    )
    problems.raise_if_any()
    changed = apply_changes(plan, sent)
    if data.needs is not None:
        plan.needs = [_need(n) for n in data.needs]
        changed.append("needs")
    for g in data.goals or []:
        fields = g.model_dump(exclude={"id"})
        if g.id is None:
            plan.goals.append(_goal(g, len(plan.goals)))
            changed.append("goals")
        elif apply_changes(goals_by_id[g.id], fields):
            changed.append("goals")
    save_update(session, plan, changed, actor=actor, record_type=RECORD_TYPE)
    return plan


def delete_plan(session: Session, plan: Plan, *, version: int, actor: User) -> None:
    """Soft-delete a plan (hidden from lists; a coordinator may restore it)."""
    soft_delete(session, plan, version=version, actor=actor, record_type=RECORD_TYPE)


def restore_plan(session: Session, plan: Plan, *, version: int, actor: User) -> Plan:
    """Bring a deleted plan back (coordinators)."""
    restore_deleted(session, plan, version=version, actor=actor, record_type=RECORD_TYPE)
    return plan


def add_plan_review(
    session: Session, plan: Plan, data: PlanReviewCreate, *, actor: User
) -> PlanReview:
    """Record a periodic review: it moves the goals' statuses and sets the next review."""
    ensure_case_writer(actor)
    problems = Problems()
    problems.past_date(
        "reviewed_on",
        data.reviewed_on,
        not_before=plan.assessed_on,
        not_before_msg=AFTER_ASSESSMENT,
    )
    problems.not_before("next_review_on", data.next_review_on, data.reviewed_on, AFTER_REVIEW)
    goals_by_id = {g.id: g for g in plan.goals}
    seen: set[uuid.UUID] = set()
    for i, g in enumerate(data.goals):
        if g.goal_id not in goals_by_id:
            problems.add(f"goals.{i}.goal_id", "La meta no pertenece a este plan.")
        elif g.goal_id in seen:
            problems.add(f"goals.{i}.goal_id", "La meta aparece más de una vez.")
        seen.add(g.goal_id)
    problems.raise_if_any()
    review = PlanReview(
        plan_id=plan.id,
        reviewed_on=data.reviewed_on,
        summary=data.summary,
        next_review_on=data.next_review_on,
        author_id=actor.id,
        goal_updates=[
            PlanReviewGoal(goal_id=g.goal_id, status=g.status, note=g.note) for g in data.goals
        ],
    )
    plan.reviews.append(review)
    for g in data.goals:
        goals_by_id[g.goal_id].status = g.status
    if data.next_review_on is not None:
        plan.next_review_on = data.next_review_on
    touch(plan)  # the plan as read changed: holders of the old version must reload
    session.flush()
    record_write(
        session,
        AuditAction.create,
        actor=actor,
        record_type="plan_review",
        record_id=review.id,
        fields=data.model_dump(exclude_unset=True).keys(),
    )
    record_write(
        session,
        AuditAction.update,
        actor=actor,
        record_type=RECORD_TYPE,
        record_id=plan.id,
        fields=["goals", "next_review_on"] if data.next_review_on else ["goals"],
    )
    return review
