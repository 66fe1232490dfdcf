"""Load the synthetic demo dataset (app.demo.generate) into an empty or demo-only database.

Bulk Core inserts, a few statements per table, with identity and free text sealed to
their rows first (`seal_rows`, as the models' attributes would): the whole dataset loads
in seconds on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.caseload.models import Assignment
from app.cases.models import Case, CaseCounter, CaseStatusChange
from app.catalogs import Team
from app.consents.models import Consent
from app.db import note_data_write, seal_rows
from app.demo.generate import DemoDataset, generate
from app.demo.guard import check_demo_only, demo_logins, is_loaded, wipe_demo_records
from app.demo.rows import DemoRows, Values
from app.detections.models import Detection
from app.followups.models import FollowUp, FollowUpAction
from app.names.service import insert_token_rows, name_token_rows
from app.plans.models import Plan, PlanGoal, PlanNeed, PlanReview, PlanReviewGoal
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.transfers.models import Transfer
from app.users.models import User, UserTeam
from app.users.security import hash_password
from app.victims.models import RouteLeg, Victim, VictimIdentity

DEMO_PASSWORD = "demo-calp-2026"
DEMO_SEED = 2026
# Parents before children.
INSERT_ORDER = [
    CaseCounter,
    Case,
    Assignment,
    CaseStatusChange,
    Victim,
    VictimIdentity,
    RouteLeg,
    Consent,
    FollowUp,
    FollowUpAction,
    Plan,
    PlanNeed,
    PlanGoal,
    PlanReview,
    PlanReviewGoal,
    Referral,
    ProtectionMeasure,
    Detection,
    Transfer,
]


@dataclass
class LoadResult:
    loaded: bool
    users: list[tuple[str, str]] = field(default_factory=list)  # (username, role)
    counts: dict[str, int] = field(default_factory=dict)


def load_demo(
    session: Session,
    *,
    reset: bool = False,
    fast_hash: bool = False,
    dataset: DemoDataset | None = None,
) -> LoadResult:
    """Load the demo dataset; a no-op returning the logins when it is already there."""
    check_demo_only(session)
    if reset:
        wipe_demo_records(session)
    elif is_loaded(session):
        return LoadResult(loaded=False, users=demo_logins(session))
    data = dataset or generate(DEMO_SEED)
    users = _ensure_users(session, data.users, fast_hash)
    rows = DemoRows(session, users)
    rows.build(data)
    counts = _insert(session, rows.rows)
    insert_token_rows(session, name_token_rows(rows.rows.get(VictimIdentity, [])))
    note_data_write(session)  # Core writes skip the flush hook
    record_event(session, AuditAction.import_, actor=None, record_type="demo", detail="demo_data")
    session.flush()
    # Fresh planner statistics after a bulk load: with the tables still believed empty,
    # PostgreSQL picks nested loops that turn the route queries from milliseconds into
    # minutes (seen in CI). ANALYZE also sees this transaction's own rows.
    session.execute(text("ANALYZE"))
    return LoadResult(loaded=True, users=demo_logins(session), counts=counts)


def _insert(session: Session, by_model: dict[type[Any], list[Values]]) -> dict[str, int]:
    """Each table's rows in one statement; the count of rows per table."""
    for model in INSERT_ORDER:
        rows = by_model.get(model)
        if rows:
            table = cast(Table, model.__table__)
            session.execute(insert(table), seal_rows(table, rows))
    return {model.__tablename__: len(by_model.get(model, [])) for model in INSERT_ORDER}


def _ensure_users(
    session: Session, records: list[dict[str, Any]], fast_hash: bool
) -> dict[str, uuid.UUID]:
    existing = {u.username: u.id for u in session.scalars(select(User))}
    # One hash for every demo account: they share a published password anyway.
    password_hash = hash_password(DEMO_PASSWORD, fast=fast_hash)
    for rec in records:
        if rec["username"] in existing:
            continue
        user = User(
            username=rec["username"],
            full_name=rec["full_name"],
            role=rec["role"],
            password_hash=password_hash,
            team_links=[UserTeam(team=Team(t)) for t in rec["teams"]],
        )
        session.add(user)
        session.flush()
        existing[user.username] = user.id
    return existing
