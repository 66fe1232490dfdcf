"""The home page's lists (open cases, plan reviews due), always starting from app.scope's
builders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import CaseStatus, PlanStatus
from app.db import today
from app.plans.models import Plan
from app.scope import visible_cases, visible_victims
from app.users.models import User
from app.victims.models import Victim

OPEN_STATUSES = (CaseStatus.open, CaseStatus.follow_up)
ACTIVE_PLAN = (PlanStatus.drafted, PlanStatus.in_progress, PlanStatus.implemented)


@dataclass(frozen=True)
class ReviewDue:
    plan_id: uuid.UUID
    victim_id: uuid.UUID
    victim_code: str
    case_id: uuid.UUID
    next_review_on: date
    overdue: bool


def open_cases(session: Session, user: User, *, limit: int = 25) -> list[Case]:
    """The caller's teams' cases not yet closed, most recent first."""
    stmt = (
        visible_cases(user)
        .where(Case.status.in_(OPEN_STATUSES))
        .order_by(Case.opened_on.desc(), Case.code.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def reviews_due(
    session: Session, user: User, *, within_days: int = 14, limit: int = 25
) -> list[ReviewDue]:
    """Plans of the caller's teams whose next review falls within the coming days (or passed)."""
    horizon = today() + timedelta(days=within_days)
    stmt = (
        visible_victims(user)
        .join(Plan, Plan.victim_id == Victim.id)
        .where(
            Plan.deleted_at.is_(None),
            Plan.status.in_(ACTIVE_PLAN),
            Plan.next_review_on.is_not(None),
            Plan.next_review_on <= horizon,
        )
        .with_only_columns(Plan.id, Victim.id, Victim.code, Victim.case_id, Plan.next_review_on)
        .order_by(Plan.next_review_on)
        .limit(limit)
    )
    now = today()
    out = []
    for plan_id, victim_id, code, case_id, due in session.execute(stmt):
        assert due is not None  # filtered in the query
        out.append(
            ReviewDue(
                plan_id=plan_id,
                victim_id=victim_id,
                victim_code=code,
                case_id=case_id,
                next_review_on=due,
                overdue=due < now,
            )
        )
    return out
