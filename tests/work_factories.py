"""Builders for work on a victim: follow-ups, plans, referrals, measures, consents, detections.

Plain ORM inserts (no service validation), so tests can set up any state directly.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import (
    ActionStatus,
    ActionType,
    ConsentPurpose,
    FollowUpKind,
    GoalStatus,
    Institution,
    PlanDimension,
    PlanStatus,
    Polarity,
    PracticeCategory,
    Priority,
    ProtectionMeasureKind,
    ReferralDirection,
)
from app.consents.models import Consent
from app.db import today
from app.detections.models import Detection
from app.followups.models import FollowUp, FollowUpAction
from app.plans.models import Plan, PlanGoal, PlanNeed
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.users.models import User
from app.victims.models import Victim


def _add(db: Session, obj: Any) -> Any:
    db.add(obj)
    db.flush()
    return obj


def make_follow_up(
    db: Session,
    victim: Victim,
    *,
    author: User | None = None,
    kind: FollowUpKind = FollowUpKind.legal,
    narrative: str = "Nota de prueba.",
    occurred_on: date | None = None,
    **overrides: Any,
) -> FollowUp:
    fields: dict[str, Any] = {
        "victim_id": victim.id,
        "kind": kind,
        "narrative": narrative,
        "occurred_on": occurred_on or today(),
        "author_id": author.id if author else None,
        "actions": [FollowUpAction(type=ActionType.orientation, status=ActionStatus.done)],
    }
    return _add(db, FollowUp(**(fields | overrides)))


def make_plan(
    db: Session, victim: Victim, *, assessed_on: date | None = None, **overrides: Any
) -> Plan:
    fields: dict[str, Any] = {
        "victim_id": victim.id,
        "assessed_on": assessed_on or today(),
        "status": PlanStatus.drafted,
        "next_review_on": None,
        "reviews": [],
        "needs": [
            PlanNeed(
                dimension=PlanDimension.identity, description="Sin DNI.", priority=Priority.high
            )
        ],
        "goals": [
            PlanGoal(
                position=0,
                dimension=PlanDimension.identity,
                description="Tramitar DNI.",
                due_on=None,
                status=GoalStatus.pending,
            )
        ],
    }
    return _add(db, Plan(**(fields | overrides)))


def make_referral(db: Session, victim: Victim, **overrides: Any) -> Referral:
    fields: dict[str, Any] = {
        "victim_id": victim.id,
        "direction": ReferralDirection.outgoing,
        "institution": Institution.fistrap,
        "referred_on": today(),
        "reason": "Denuncia.",
    }
    return _add(db, Referral(**(fields | overrides)))


def make_measure(db: Session, victim: Victim, **overrides: Any) -> ProtectionMeasure:
    fields: dict[str, Any] = {
        "victim_id": victim.id,
        "kind": ProtectionMeasureKind.identity_reserve,
        "institution": Institution.fiscalia,
        "granted_on": today(),
    }
    return _add(db, ProtectionMeasure(**(fields | overrides)))


def make_consent(db: Session, victim: Victim, **overrides: Any) -> Consent:
    fields: dict[str, Any] = {
        "victim_id": victim.id,
        "purpose": ConsentPurpose.attention,
        "given_on": today(),
    }
    return _add(db, Consent(**(fields | overrides)))


def make_detection(db: Session, case: Case, **overrides: Any) -> Detection:
    fields: dict[str, Any] = {
        "case_id": case.id,
        "detected_on": today(),
        "polarity": Polarity.bad,
        "category": PracticeCategory.privacy,
        "institution": Institution.pnp,
        "description": "Observación.",
    }
    return _add(db, Detection(**(fields | overrides)))
