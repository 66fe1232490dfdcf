"""Load the synthetic demo dataset (app.demo.generate) into an empty or demo-only database.

Bulk inserts through the ORM's insert() (so identity and free text go through the
EncryptedText columns and are encrypted like any other record), a few statements per table:
the whole dataset loads in seconds on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, text
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.cases.models import Case, CaseCounter, CaseStaff, CaseStatusChange
from app.catalogs import TEAM_PREFIX, Team
from app.consents.models import Consent
from app.crypto import get_keyring
from app.db import Base, note_data_write, utcnow
from app.demo.generate import DemoDataset, generate
from app.detections.models import Detection
from app.followups.models import FollowUp, FollowUpAction
from app.plans.models import Plan, PlanGoal, PlanNeed, PlanReview, PlanReviewGoal
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.users.models import User, UserTeam
from app.users.security import hash_password
from app.victims.models import RouteLeg, Victim, VictimIdentity

DEMO_PREFIX = "demo"
DEMO_PASSWORD = "demo-calp-2026"
DEMO_SEED = 2026
# Tables a reset leaves alone: accounts, their bookkeeping, the audit log, the counters.
KEEP_ON_RESET = frozenset(
    {"users", "user_teams", "api_tokens", "audit_events", "login_attempts", "data_versions"}
)


class DemoRefused(RuntimeError):
    """The database holds records that are not demo records (or this is production)."""


@dataclass
class LoadResult:
    loaded: bool
    users: list[tuple[str, str]] = field(default_factory=list)  # (username, role)
    counts: dict[str, int] = field(default_factory=dict)


def _demo_user_ids(session: Session) -> set[uuid.UUID]:
    rows = session.scalars(select(User.id).where(User.username.startswith(DEMO_PREFIX)))
    return set(rows)


def check_demo_only(session: Session) -> None:
    """Refuse when any account or record is not the demo's own."""
    others = session.scalar(
        select(func.count()).select_from(User).where(~User.username.startswith(DEMO_PREFIX))
    )
    if others:
        raise DemoRefused("the database holds user accounts that are not demo accounts")
    demo_ids = _demo_user_ids(session)
    for model in (Case, Victim, Detection):
        creator = model.created_by_id
        foreign = session.scalar(
            select(func.count())
            .select_from(model)
            .where(
                or_(
                    creator.is_(None),
                    creator.not_in(demo_ids) if demo_ids else creator.is_not(None),
                )
            )
        )
        if foreign:
            raise DemoRefused("the database holds records that are not demo records")


def is_loaded(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Case)))


def wipe_demo_records(session: Session) -> None:
    """Delete every case-work record (only ever called on a demo-only database)."""
    check_demo_only(session)
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEEP_ON_RESET:
            session.execute(delete(table))
    note_data_write(session)  # Core writes skip the flush hook


def demo_logins(session: Session) -> list[tuple[str, str]]:
    users = session.execute(
        select(User.username, User.role)
        .where(User.username.startswith(DEMO_PREFIX))
        .order_by(User.username)
    )
    return [(u, str(r)) for u, r in users]


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
    counts = _Inserter(session, users).run(data)
    note_data_write(session)  # Core writes skip the flush hook
    record_event(session, AuditAction.import_, actor=None, record_type="demo", detail="demo_data")
    session.flush()
    # Fresh planner statistics after a bulk load: with the tables still believed empty,
    # PostgreSQL picks nested loops that turn the route queries from milliseconds into
    # minutes (seen in CI). ANALYZE also sees this transaction's own rows.
    session.execute(text("ANALYZE"))
    return LoadResult(loaded=True, users=demo_logins(session), counts=counts)


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


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12, 0)).replace(tzinfo=utcnow().tzinfo)


class _Inserter:
    """Turns the generator's nested dicts into rows, then inserts each table in bulk."""

    def __init__(self, session: Session, users: dict[str, uuid.UUID]) -> None:
        self.session = session
        self.users = users
        self.rows: dict[type[Any], list[dict[str, Any]]] = defaultdict(list)
        self.case_ids: dict[str, uuid.UUID] = {}
        self.keyring = get_keyring()

    def add(self, model: type[Any], **values: Any) -> uuid.UUID:
        if "id" not in values and hasattr(model, "id") and model not in (CaseCounter,):
            values["id"] = uuid.uuid4()
        self.rows[model].append(values)
        return values.get("id")  # type: ignore[return-value]

    def run(self, data: DemoDataset) -> dict[str, int]:
        seqs: dict[tuple[str, int], int] = defaultdict(int)
        for case in sorted(data.cases, key=lambda c: (c["opened_on"], c["key"])):
            year = case["opened_on"].year
            seqs[(case["team"], year)] += 1
            self.case(case, year, seqs[(case["team"], year)])
        for (team, year), last in seqs.items():
            existing = self.session.get(CaseCounter, (team, year))
            if existing is None:
                self.add(CaseCounter, team=team, year=year, last_seq=last)
            else:
                existing.last_seq = max(existing.last_seq, last)
        for det in data.detections:
            self.detection(det)
        order = [
            CaseCounter,
            Case,
            CaseStaff,
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
        ]
        for model in order:
            rows = self.rows.get(model)
            if rows:
                self.session.execute(insert(model), rows)
        return {model.__tablename__: len(self.rows.get(model, [])) for model in order}

    def user(self, username: str | None) -> uuid.UUID | None:
        return self.users.get(username) if username else None

    def case(self, rec: dict[str, Any], year: int, seq: int) -> None:
        team = Team(rec["team"])
        code = f"{TEAM_PREFIX[team]}-{year}-{seq:04d}"
        author = self.user(rec.get("created_by"))
        now = _at(rec["opened_on"])
        case_id = self.add(
            Case,
            code=code,
            team=team,
            year=year,
            seq=seq,
            opened_on=rec["opened_on"],
            status=rec["status"],
            closed_on=rec["closed_on"],
            close_reason=rec["close_reason"],
            referred_by=rec["referred_by"],
            summary=rec["summary"],
            created_by_id=author,
            version=1,
            created_at=now,
            updated_at=now,
        )
        self.case_ids[rec["key"]] = case_id
        if author is not None:
            self.add(CaseStaff, case_id=case_id, user_id=author)
        self.add(
            CaseStatusChange,
            case_id=case_id,
            from_status=None,
            to_status="open",
            on=rec["opened_on"],
            at=now,
            actor_id=author,
        )
        if rec["status"] == "follow_up":
            self.add(
                CaseStatusChange,
                case_id=case_id,
                from_status="open",
                to_status="follow_up",
                on=rec["opened_on"],
                at=now,
                actor_id=author,
            )
        elif rec["status"] == "closed":
            self.add(
                CaseStatusChange,
                case_id=case_id,
                from_status="open",
                to_status="closed",
                on=rec["closed_on"],
                at=_at(rec["closed_on"]),
                close_reason=rec["close_reason"],
                actor_id=author,
            )
        for n, victim in enumerate(rec["victims"], 1):
            self.victim(victim, case_id, f"{code}-V{n}", n, author)

    def victim(
        self, rec: dict[str, Any], case_id: uuid.UUID, code: str, seq: int, author: uuid.UUID | None
    ) -> None:
        violence = rec.get("violence_history") or {}
        now = _at(rec["intake_on"])
        victim_id = self.add(
            Victim,
            case_id=case_id,
            code=code,
            seq=seq,
            intake_on=rec["intake_on"],
            sex=rec["sex"],
            age_at_intake=rec["age_at_intake"],
            nationality=rec["nationality"],
            typology=rec["typology"],
            trafficking_purpose=rec["trafficking_purpose"],
            capture_modality=rec["capture_modality"],
            trafficker_relation=rec["trafficker_relation"],
            education_level=rec["education_level"],
            disability=rec["disability"],
            indigenous_language=rec["indigenous_language"],
            migration_status=rec["migration_status"],
            reflection_until=rec["reflection_until"],
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
            self.add(
                VictimIdentity,
                victim_id=victim_id,
                given_names=identity.get("given_names"),
                family_names=identity.get("family_names"),
                document_type=identity.get("document_type"),
                document_number=document,
                document_index=self.keyring.blind_index(document) if document else None,
                phone=identity.get("phone"),
                address=identity.get("address"),
                birth_date=birth.isoformat() if birth else None,
            )
        for pos, leg in enumerate(rec.get("route", [])):
            self.add(
                RouteLeg,
                victim_id=victim_id,
                position=pos,
                stage=leg["stage"],
                country=leg["country"],
                region=leg.get("region"),
            )
        for consent in rec.get("consents", []):
            self.add(
                Consent,
                victim_id=victim_id,
                purpose=consent["purpose"],
                given_on=consent["given_on"],
                revoked_on=consent.get("revoked_on"),
                created_by_id=author,
                version=1,
            )
        for fu in rec.get("follow_ups", []):
            self.follow_up(fu, victim_id)
        for plan in rec.get("plans", []):
            self.plan(plan, victim_id)
        for ref in rec.get("referrals", []):
            self.add(
                Referral,
                victim_id=victim_id,
                version=1,
                created_by_id=author,
                **{
                    k: ref.get(k)
                    for k in (
                        "direction",
                        "institution",
                        "referred_on",
                        "reason",
                        "outcome",
                        "external_ref_kind",
                        "external_ref",
                    )
                },
            )
        for measure in rec.get("protection_measures", []):
            self.add(
                ProtectionMeasure,
                victim_id=victim_id,
                version=1,
                created_by_id=author,
                kind=measure["kind"],
                institution=measure["institution"],
                granted_on=measure["granted_on"],
                ends_on=measure.get("ends_on"),
            )

    def follow_up(self, rec: dict[str, Any], victim_id: uuid.UUID) -> None:
        fu_id = self.add(
            FollowUp,
            victim_id=victim_id,
            occurred_on=rec["occurred_on"],
            kind=rec["kind"],
            narrative=rec.get("narrative"),
            author_id=self.user(rec.get("author")),
            supersedes_id=None,
            created_at=_at(rec["occurred_on"]),
        )
        for action in rec.get("actions", []):
            self.add(
                FollowUpAction,
                follow_up_id=fu_id,
                type=action["type"],
                institution=action.get("institution"),
                status=action["status"],
            )

    def plan(self, rec: dict[str, Any], victim_id: uuid.UUID) -> None:
        author = self.user(rec.get("author"))
        plan_id = self.add(
            Plan,
            victim_id=victim_id,
            assessed_on=rec["assessed_on"],
            status=rec["status"],
            next_review_on=rec.get("next_review_on"),
            author_id=author,
            version=1,
        )
        for need in rec.get("needs", []):
            self.add(
                PlanNeed,
                plan_id=plan_id,
                dimension=need["dimension"],
                description=need.get("description"),
                priority=need["priority"],
            )
        goal_ids = []
        for pos, goal in enumerate(rec.get("goals", [])):
            goal_ids.append(
                self.add(
                    PlanGoal,
                    plan_id=plan_id,
                    position=pos,
                    dimension=goal["dimension"],
                    description=goal.get("description"),
                    due_on=goal.get("due_on"),
                    status=goal["status"],
                )
            )
        for review in rec.get("reviews", []):
            review_id = self.add(
                PlanReview,
                plan_id=plan_id,
                reviewed_on=review["reviewed_on"],
                summary=review.get("summary"),
                next_review_on=review.get("next_review_on"),
                author_id=author,
                created_at=_at(review["reviewed_on"]),
            )
            for g in review.get("goals", []):
                self.add(
                    PlanReviewGoal,
                    review_id=review_id,
                    goal_id=goal_ids[g["goal_index"]],
                    status=g["status"],
                    note=g.get("note"),
                )

    def detection(self, rec: dict[str, Any]) -> None:
        self.add(
            Detection,
            case_id=self.case_ids[rec["case_key"]],
            detected_on=rec["detected_on"],
            polarity=rec["polarity"],
            category=rec["category"],
            institution=rec["institution"],
            stage=rec.get("stage"),
            description=rec.get("description"),
            created_by_id=self.user(rec.get("author")),
            version=1,
        )
