"""Individual plans (PTI): create, edit and periodic reviews (list, delete, restore: `PLANS`)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, selectinload

from app.audit.models import AuditAction
from app.plans.errors import PlanNotFound
from app.plans.models import Plan, PlanGoal, PlanNeed, PlanReview, PlanReviewGoal
from app.plans.schemas import GoalIn, NeedIn, PlanCreate, PlanReviewCreate, PlanUpdate
from app.scope import ensure_case_writer
from app.users.models import User
from app.victims.models import Victim
from app.work.checks import Problems, case_opened_on
from app.work.kinds import DeletableKind
from app.work.lifecycle import apply_changes, check_version, record_write


def _full() -> tuple[Any, ...]:
    # Built on call: options at import time would configure the mappers too early.
    return (
        selectinload(Plan.needs),
        selectinload(Plan.goals),
        selectinload(Plan.reviews).selectinload(PlanReview.goal_updates),
    )


PLANS = DeletableKind(Plan, "plan", PlanNotFound, dated_by="assessed_on", options=_full)
REVIEW = "plan_review"  # the audit's record type of a review


def _check_dates(
    problems: Problems,
    *,
    assessed_on: date,
    opened_on: date | None,
    next_review_on: date | None,
    goals: list[tuple[int, date | None]],
) -> None:
    problems.past_date("assessed_on", assessed_on, not_before=opened_on)
    problems.not_before("next_review_on", next_review_on, assessed_on, "before_assessment")
    for i, due_on in goals:
        problems.not_before(f"goals.{i}.due_on", due_on, assessed_on, "before_assessment")


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
    return PLANS.save_new(
        session, plan, actor=actor, fields=data.model_dump(exclude_unset=True).keys()
    )


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
            problems.add(f"goals.{i}.id", "goal_not_in_plan")
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
    return PLANS.save_update(session, plan, changed, actor=actor)


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
        not_before_code="before_assessment",
    )
    problems.not_before("next_review_on", data.next_review_on, data.reviewed_on, "before_review")
    goals_by_id = {g.id: g for g in plan.goals}
    seen: set[uuid.UUID] = set()
    for i, g in enumerate(data.goals):
        if g.goal_id not in goals_by_id:
            problems.add(f"goals.{i}.goal_id", "goal_not_in_plan")
        elif g.goal_id in seen:
            problems.add(f"goals.{i}.goal_id", "goal_repeated")
        seen.add(g.goal_id)
    problems.raise_if_any()
    review = PlanReview(
        **data.model_dump(include={"reviewed_on", "summary", "next_review_on"}),
        plan_id=plan.id,
        author_id=actor.id,
        goal_updates=[PlanReviewGoal(**g.model_dump()) for g in data.goals],
    )
    plan.reviews.append(review)
    for g in data.goals:
        goals_by_id[g.goal_id].status = g.status
    if data.next_review_on is not None:
        plan.next_review_on = data.next_review_on
    session.flush()
    fields = data.model_dump(exclude_unset=True).keys()
    record_write(
        session, AuditAction.create, review, actor=actor, record_type=REVIEW, fields=fields
    )
    # The plan as read changed too: holders of its old version must reload.
    changed = ["goals", "next_review_on"] if data.next_review_on else ["goals"]
    PLANS.save_update(session, plan, changed, actor=actor)
    return review
