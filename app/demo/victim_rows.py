"""The rows of one demo victim: identity, route, consents, follow-ups, plans, referrals and
protection measures."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from app.consents.models import Consent
from app.db import utcnow
from app.followups.models import FollowUp, FollowUpAction
from app.plans.models import Plan, PlanGoal, PlanNeed, PlanReview, PlanReviewGoal
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.victims.models import RouteLeg, Victim, VictimIdentity
from app.victims.profile import PROFILE_ANSWERS

if TYPE_CHECKING:
    from app.demo.rows import DemoRows


def at_noon(day: date) -> datetime:
    """A record's timestamp: noon of its day, UTC (the generator gives dates only)."""
    return datetime.combine(day, time(12, 0)).replace(tzinfo=utcnow().tzinfo)


def copied(rec: dict[str, Any], *required: str, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """The columns a row takes as they are from its demo record: each `required` one must
    be there (a record without it is a broken dataset: KeyError), an `optional` one may not."""
    return {k: rec[k] for k in required} | {k: rec.get(k) for k in optional}


def add_victim(
    rows: DemoRows,
    rec: dict[str, Any],
    case_id: uuid.UUID,
    code: str,
    seq: int,
    author: uuid.UUID | None,
) -> None:
    """A victim's row and the rows of everything recorded about it."""
    violence = rec.get("violence_history") or {}
    now = at_noon(rec["intake_on"])
    victim_id = rows.add(
        Victim,
        case_id=case_id,
        code=code,
        seq=seq,
        **copied(
            rec,
            "intake_on",
            "sex",
            "age_at_intake",
            "nationality",
            *PROFILE_ANSWERS,
            "reflection_until",
        ),
        **{
            f"violence_{k}": violence.get(k, "not_recorded")
            for k in ("psychological", "sexual", "physical", "family", "economic")
        },
        created_by_id=author,
        version=1,
        created_at=now,
        updated_at=now,
    )
    identity = rec.get("identity")
    if identity:
        document = identity.get("document_number")
        birth = rec.get("birth_date")
        rows.add(
            VictimIdentity,
            victim_id=victim_id,
            given_names=identity.get("given_names"),
            family_names=identity.get("family_names"),
            document_type=identity.get("document_type"),
            document_number=document,
            document_index=rows.keyring.blind_index(document) if document else None,
            phone=identity.get("phone"),
            address=identity.get("address"),
            birth_date=birth.isoformat() if birth else None,
        )
    for pos, leg in enumerate(rec.get("route", [])):
        rows.add(
            RouteLeg,
            victim_id=victim_id,
            position=pos,
            **copied(leg, "stage", "country", optional=("region",)),
        )
    consent_ids: dict[str, uuid.UUID] = {}
    for consent in rec.get("consents", []):
        consent_ids[consent["purpose"]] = rows.add(
            Consent,
            victim_id=victim_id,
            **copied(consent, "purpose", "given_on", optional=("revoked_on",)),
            created_by_id=author,
            version=1,
        )
    for fu in rec.get("follow_ups", []):
        _add_follow_up(rows, fu, victim_id)
    for plan in rec.get("plans", []):
        _add_plan(rows, plan, victim_id)
    for ref in rec.get("referrals", []):
        rows.add(
            Referral,
            victim_id=victim_id,
            version=1,
            created_by_id=author,
            # The data_sharing consent given at intake covers an outgoing referral.
            consent_id=consent_ids.get("data_sharing") if ref["direction"] == "out" else None,
            **copied(
                ref,
                optional=(
                    "direction",
                    "institution",
                    "referred_on",
                    "reason",
                    "outcome",
                    "external_ref_kind",
                    "external_ref",
                ),
            ),
        )
    for measure in rec.get("protection_measures", []):
        rows.add(
            ProtectionMeasure,
            victim_id=victim_id,
            version=1,
            created_by_id=author,
            **copied(measure, "kind", "institution", "granted_on", optional=("ends_on",)),
        )


def _add_follow_up(rows: DemoRows, rec: dict[str, Any], victim_id: uuid.UUID) -> None:
    fu_id = rows.add(
        FollowUp,
        victim_id=victim_id,
        **copied(rec, "occurred_on", "kind", optional=("narrative",)),
        author_id=rows.user(rec.get("author")),
        supersedes_id=None,
        created_at=at_noon(rec["occurred_on"]),
    )
    for action in rec.get("actions", []):
        rows.add(
            FollowUpAction,
            follow_up_id=fu_id,
            **copied(action, "type", "status", optional=("institution",)),
        )


def _add_plan(rows: DemoRows, rec: dict[str, Any], victim_id: uuid.UUID) -> None:
    author = rows.user(rec.get("author"))
    plan_id = rows.add(
        Plan,
        victim_id=victim_id,
        **copied(rec, "assessed_on", "status", optional=("next_review_on",)),
        author_id=author,
        version=1,
    )
    for need in rec.get("needs", []):
        rows.add(
            PlanNeed,
            plan_id=plan_id,
            **copied(need, "dimension", "priority", optional=("description",)),
        )
    goal_ids = []
    for pos, goal in enumerate(rec.get("goals", [])):
        goal_ids.append(
            rows.add(
                PlanGoal,
                plan_id=plan_id,
                position=pos,
                **copied(goal, "dimension", "status", optional=("description", "due_on")),
            )
        )
    for review in rec.get("reviews", []):
        review_id = rows.add(
            PlanReview,
            plan_id=plan_id,
            **copied(review, "reviewed_on", optional=("summary", "next_review_on")),
            author_id=author,
            created_at=at_noon(review["reviewed_on"]),
        )
        for g in review.get("goals", []):
            rows.add(
                PlanReviewGoal,
                review_id=review_id,
                goal_id=goal_ids[g["goal_index"]],
                **copied(g, "status", optional=("note",)),
            )
