"""Permission rules of work on a victim: follow-ups, plans, referrals, measures, consents,
detections.

Restore routes run against a record that is not deleted (the path parameter is shared with
GET/PATCH/DELETE), so a coordinator of the team reaches the business rule and gets 409: past
role and scope checks. Restoring for real is tested in each domain's tests.
"""

from __future__ import annotations

from typing import Any

from app.catalogs import Team
from app.db import today
from tests.factories import make_case, make_victim
from tests.permissions.framework import Rule, case_work
from tests.work_factories import (
    make_consent,
    make_detection,
    make_measure,
    make_plan,
    make_referral,
)

V = "/api/v1/victims/{victim_id}"
WRITE, CREATE, READ = case_work(read=False), case_work(read=False, created=True), case_work()
DELETE = case_work(read=False, ok=204)
RESTORE: dict[str, int | tuple[int, int]] = {
    "psychologist": 403,
    "lawyer": 403,
    "social_worker": 403,
    "coordinator": (409, 404),
    "admin": 403,
    "visualiser": 403,
    "anonymous": 401,
}


def _day() -> str:
    return today().isoformat()


def _version(key: str) -> Any:
    return lambda w: {"version": w[key]}


RULES = [
    Rule(
        "POST",
        f"{V}/follow-ups",
        CREATE,
        json=lambda w: {
            "occurred_on": _day(),
            "kind": "legal",
            "narrative": "Orientación legal.",
            "actions": [{"type": "orientation", "status": "done"}],
        },
    ),
    Rule("GET", f"{V}/follow-ups", READ),
    Rule(
        "POST",
        f"{V}/plans",
        CREATE,
        json=lambda w: {
            "assessed_on": _day(),
            "status": "drafted",
            "next_review_on": None,
            "needs": [{"dimension": "health", "description": "Control.", "priority": "low"}],
            "goals": [],
        },
    ),
    Rule("GET", f"{V}/plans", READ),
    Rule("GET", "/api/v1/plans/{plan_id}", READ),
    Rule(
        "PATCH",
        "/api/v1/plans/{plan_id}",
        WRITE,
        json=lambda w: {"version": w["plan_version"], "status": "in_progress"},
    ),
    Rule("DELETE", "/api/v1/plans/{plan_id}", DELETE, query=_version("plan_version")),
    Rule(
        "POST",
        "/api/v1/plans/{plan_id}/restore",
        RESTORE,
        json=_version("plan_version"),
        note="plan not deleted: 409 once past role and scope",
    ),
    Rule(
        "POST",
        "/api/v1/plans/{plan_id}/reviews",
        CREATE,
        json=lambda w: {
            "reviewed_on": _day(),
            "summary": "Avance.",
            "next_review_on": None,
            "goals": [{"goal_id": str(w["plan_goal_id"]), "status": "in_progress", "note": None}],
        },
    ),
    Rule(
        "POST",
        f"{V}/referrals",
        CREATE,
        json=lambda w: {
            "direction": "out",
            "institution": "udavit",
            "referred_on": _day(),
            "reason": "Atención psicológica.",
            "consent_override": {"reason": "Emergencia."},
        },
    ),
    Rule("GET", f"{V}/referrals", READ),
    Rule(
        "PATCH",
        "/api/v1/referrals/{referral_id}",
        WRITE,
        json=lambda w: {"version": w["referral_version"], "outcome": "accepted"},
    ),
    Rule("DELETE", "/api/v1/referrals/{referral_id}", DELETE, query=_version("referral_version")),
    Rule(
        "POST",
        "/api/v1/referrals/{referral_id}/restore",
        RESTORE,
        json=_version("referral_version"),
    ),
    Rule(
        "POST",
        f"{V}/protection-measures",
        CREATE,
        json=lambda w: {"kind": "shelter", "institution": "car", "granted_on": _day()},
    ),
    Rule("GET", f"{V}/protection-measures", READ),
    Rule(
        "PATCH",
        "/api/v1/protection-measures/{measure_id}",
        WRITE,
        json=lambda w: {"version": w["measure_version"], "institution": "pnp"},
    ),
    Rule(
        "DELETE",
        "/api/v1/protection-measures/{measure_id}",
        DELETE,
        query=_version("measure_version"),
    ),
    Rule(
        "POST",
        "/api/v1/protection-measures/{measure_id}/restore",
        RESTORE,
        json=_version("measure_version"),
    ),
    Rule(
        "POST",
        f"{V}/consents",
        CREATE,
        json=lambda w: {"purpose": "publication", "given_on": _day()},
    ),
    Rule("GET", f"{V}/consents", READ),
    Rule(
        "POST",
        "/api/v1/consents/{consent_id}/revoke",
        WRITE,
        json=lambda w: {"revoked_on": _day(), "version": w["consent_version"]},
    ),
    Rule(
        "POST",
        "/api/v1/cases/{case_id}/detections",
        CREATE,
        json=lambda w: {
            "detected_on": _day(),
            "polarity": "good",
            "category": "coordination",
            "institution": "udavit",
            "description": "Buena coordinación.",
        },
    ),
    Rule("GET", "/api/v1/cases/{case_id}/detections", READ),
    Rule(
        "PATCH",
        "/api/v1/detections/{detection_id}",
        WRITE,
        json=lambda w: {"version": w["detection_version"], "category": "procedural"},
    ),
    Rule(
        "DELETE", "/api/v1/detections/{detection_id}", DELETE, query=_version("detection_version")
    ),
    Rule(
        "POST",
        "/api/v1/detections/{detection_id}/restore",
        RESTORE,
        json=_version("detection_version"),
    ),
]


def populate(db: Any, team: str, users: dict[str, Any]) -> dict[str, Any]:
    from app.cases.models import Case
    from app.victims.models import Victim

    world = users["_world"]
    out: dict[str, Any] = {}
    # Reuse the case and victim other rule modules made for this team, if any.
    case = db.get(Case, world["case_id"]) if "case_id" in world else None
    if case is None:
        case = make_case(db, team=Team(team))
        out["case_id"] = case.id
    victim = db.get(Victim, world["victim_id"]) if "victim_id" in world else None
    if victim is None:
        victim = make_victim(db, case=case)
        out["victim_id"] = victim.id
    plan = make_plan(db, victim, assessed_on=today())
    referral, measure = make_referral(db, victim), make_measure(db, victim)
    consent, detection = make_consent(db, victim), make_detection(db, case)
    return out | {
        "plan_id": plan.id,
        "plan_version": plan.version,
        "plan_goal_id": plan.goals[0].id,
        "referral_id": referral.id,
        "referral_version": referral.version,
        "measure_id": measure.id,
        "measure_version": measure.version,
        "consent_id": consent.id,
        "consent_version": consent.version,
        "detection_id": detection.id,
        "detection_version": detection.version,
    }
