"""The agenda's one SQL statement: a UNION ALL of one SELECT per kind, scope in each.

Every branch walks its date column's partial index (app/agenda/models.py: only the rows
that can still be due) from the start of the window in the agenda's order (due_on, kind,
row) and, for a page, stops after one page: the cost is one page per kind whatever the
size of the registry. Each branch states its index's conditions (`LIVE`) as they are.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    Subquery,
    Uuid,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, aliased

from app.agenda.models import LIVE
from app.agenda.schemas import AgendaKind, AgendaScope
from app.caseload.models import Assignment
from app.cases.models import Case
from app.catalogs import (
    CaseStatus,
    Team,
)
from app.db import today
from app.followups.models import FollowUp, FollowUpAction
from app.plans.models import Plan, PlanGoal, PlanReview
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.scope import visible_victims
from app.users.models import User
from app.victims.models import Victim

DAYS_BACK = 30
DAYS_AHEAD = 14
# CALP's documented delay: an outgoing referral still pending this long after it was sent.
REFERRAL_ANSWER_DAYS = 15
# Items due the same day come in this order of kinds (a number: no collation involved).
RANK = {kind: n for n, kind in enumerate(AgendaKind)}
# The day offsets of the kinds (a referral is due 15 days after it was sent).
OFFSETS = (0, REFERRAL_ANSWER_DAYS)


@dataclass(frozen=True)
class Window:
    """Due dates from `start` to `end`, both included."""

    start: date
    end: date

    @classmethod
    def around(cls, day: date, *, back: int = DAYS_BACK, ahead: int = DAYS_AHEAD) -> Window:
        return cls(day - timedelta(days=back), day + timedelta(days=ahead))


def default_window() -> Window:
    """The agenda's default: due from 30 days ago to 14 days ahead."""
    return Window.around(today())


@dataclass(frozen=True)
class After:
    """The keyset position of a cursor: (due_on, kind, key) of the last item returned."""

    due_on: date
    kind: AgendaKind
    key: uuid.UUID


@dataclass(frozen=True)
class Branch:
    """One kind: its rows (victim, case and record joined) and the date it sorts by.

    `base` is the indexed date column; the item is due `offset` days after it.
    """

    kind: AgendaKind
    base: QueryableAttribute[Any]
    offset: int
    record_type: str
    record_id: QueryableAttribute[uuid.UUID]
    key: QueryableAttribute[uuid.UUID]
    details: tuple[QueryableAttribute[Any] | None, QueryableAttribute[Any] | None]
    stmt: Select[Any]


def _branches(user: User) -> list[Branch]:
    """Each kind's rows on victims of the caller's teams (app.scope), open cases only."""

    def rows() -> Select[Any]:
        return visible_victims(user).where(Case.status != CaseStatus.closed)

    newer = aliased(Plan)
    # The victim's latest plan (by assessment date), as a lookup per row (plans by
    # victim). As a NOT EXISTS, PostgreSQL hashes every plan of the registry before it can
    # return the first page; as an equality with the latest id it expects almost no row to
    # pass and sorts the whole window instead of walking its index and stopping.
    latest_plan = (
        Plan.assessed_on
        >= select(func.max(newer.assessed_on))
        .where(newer.victim_id == Plan.victim_id, newer.deleted_at.is_(None))
        .scalar_subquery()
    )
    # The review that was due has been recorded (a review setting a new date moves it).
    reviewed = exists().where(
        PlanReview.plan_id == Plan.id, PlanReview.reviewed_on >= Plan.next_review_on
    )
    successor = aliased(FollowUp)
    return [
        Branch(
            AgendaKind.plan_review,
            Plan.next_review_on,
            0,
            "plan",
            Plan.id,
            Plan.id,
            (None, None),
            rows()
            .join(Plan, Plan.victim_id == Victim.id)
            .where(LIVE["plans"], latest_plan, ~reviewed),
        ),
        Branch(
            AgendaKind.goal_due,
            PlanGoal.due_on,
            0,
            "plan",
            Plan.id,
            PlanGoal.id,
            (PlanGoal.dimension, None),
            rows()
            .join(Plan, Plan.victim_id == Victim.id)
            .join(PlanGoal, PlanGoal.plan_id == Plan.id)
            .where(Plan.deleted_at.is_(None), LIVE["plan_goals"]),
        ),
        Branch(
            AgendaKind.measure_ends,
            ProtectionMeasure.ends_on,
            0,
            "protection_measure",
            ProtectionMeasure.id,
            ProtectionMeasure.id,
            (ProtectionMeasure.kind, ProtectionMeasure.institution),
            rows()
            .join(ProtectionMeasure, ProtectionMeasure.victim_id == Victim.id)
            .where(LIVE["protection_measures"]),
        ),
        Branch(
            AgendaKind.reflection_ends,
            Victim.reflection_until,
            0,
            "victim",
            Victim.id,
            Victim.id,
            (None, None),
            rows().where(LIVE["victims"]),
        ),
        Branch(
            AgendaKind.action_planned,
            FollowUpAction.due_on,
            0,
            "follow_up",
            FollowUp.id,
            FollowUpAction.id,
            (FollowUpAction.type, FollowUpAction.institution),
            rows()
            .join(FollowUp, FollowUp.victim_id == Victim.id)
            .join(FollowUpAction, FollowUpAction.follow_up_id == FollowUp.id)
            .where(
                LIVE["follow_up_actions"],
                # A corrected entry leaves every count; its correction says what happened.
                ~exists().where(successor.supersedes_id == FollowUp.id),
            ),
        ),
        Branch(
            AgendaKind.referral_unanswered,
            Referral.referred_on,
            REFERRAL_ANSWER_DAYS,
            "referral",
            Referral.id,
            Referral.id,
            (Referral.institution, None),
            rows().join(Referral, Referral.victim_id == Victim.id).where(LIVE["referrals"]),
        ),
    ]


def _due(branch: Branch, dialect: str) -> ColumnElement[Any] | QueryableAttribute[Any]:
    if not branch.offset:
        return branch.base
    if dialect == "sqlite":
        return type_coerce(func.date(branch.base, f"+{branch.offset} days"), Date())
    return type_coerce(branch.base + branch.offset, Date())


def _text(column: QueryableAttribute[Any] | None) -> ColumnElement[Any]:
    # Each branch's codes come from a different catalog: the union carries them as text.
    return type_coerce(column if column is not None else null(), String())


def _after(branch: Branch) -> ColumnElement[bool]:
    """Rows of this branch past the cursor in the order (due_on, kind, key): the index
    range starts at the cursor's date; the kind's rank and the key break the tie."""
    base = bindparam(f"after_{branch.offset}", type_=Date())
    rank: ColumnElement[int] = literal_column(str(RANK[branch.kind]), Integer())
    return and_(
        branch.base >= base,
        or_(
            branch.base > base,
            bindparam("after_rank", type_=Integer()) < rank,
            and_(
                bindparam("after_rank", type_=Integer()) == rank,
                branch.key > bindparam("after_key", type_=Uuid()),
            ),
        ),
    )


@dataclass(frozen=True)
class Shape:
    """What changes the statement's text (values travel as bound parameters)."""

    dialect: str
    teams: tuple[str, ...]
    scope: AgendaScope
    team: bool = False
    after: bool = False
    per_kind: bool = False
    victims: bool = False


_STATEMENTS: dict[Shape, Subquery] = {}


def union(user: User, shape: Shape) -> Subquery:
    """The UNION ALL of every kind, as one subquery with bound parameters (`params`).

    Built once per shape: the expression is many SQLAlchemy objects, and building it cost
    more than running it. The caller's teams are part of the shape (app.scope writes them
    into the query), the caller's id is a parameter.
    """
    key = replace(shape, teams=tuple(sorted(user.teams)))
    found = _STATEMENTS.get(key)
    if found is None:
        if len(_STATEMENTS) > 512:
            _STATEMENTS.clear()
        found = _STATEMENTS[key] = _build(user, key)
    return found


def params(
    user: User,
    window: Window,
    *,
    team: Team | None = None,
    after: After | None = None,
    per_kind: int | None = None,
    victim_ids: Sequence[uuid.UUID] = (),
) -> dict[str, Any]:
    """The values of a statement of `union`."""
    out: dict[str, Any] = {"me": user.id, "team": team, "victim_ids": list(victim_ids)}
    for offset in OFFSETS:
        out[f"start_{offset}"] = window.start - timedelta(days=offset)
        out[f"end_{offset}"] = window.end - timedelta(days=offset)
        if after is not None:
            out[f"after_{offset}"] = after.due_on - timedelta(days=offset)
    if after is not None:
        out["after_rank"], out["after_key"] = RANK[after.kind], after.key
    if per_kind is not None:
        out["per_kind"] = per_kind
    return out


def _build(user: User, shape: Shape) -> Subquery:
    parts = []
    for b in _branches(user):
        stmt = b.stmt.where(
            b.base >= bindparam(f"start_{b.offset}", type_=Date()),
            b.base <= bindparam(f"end_{b.offset}", type_=Date()),
        )
        if shape.team:
            stmt = stmt.where(Case.team == bindparam("team", type_=Case.team.type))
        if shape.scope is AgendaScope.mine:
            # A worker holds a few dozen cases: read from them (case_staff by user, then
            # each record by victim) rather than walk the whole window of every team.
            held = select(Assignment.case_id).where(
                Assignment.user_id == bindparam("me", type_=Uuid()), Assignment.until.is_(None)
            )
            stmt = stmt.where(Victim.case_id.in_(held))
        if shape.after:
            stmt = stmt.where(_after(b))
        if shape.victims:
            stmt = stmt.where(Victim.id.in_(bindparam("victim_ids", expanding=True)))
        stmt = stmt.with_only_columns(
            literal_column(f"'{b.kind.value}'", String()).label("kind"),
            _due(b, shape.dialect).label("due_on"),
            Case.id.label("case_id"),
            Case.code.label("case_code"),
            Victim.id.label("victim_id"),
            Victim.code.label("victim_code"),
            literal_column(f"'{b.record_type}'", String()).label("record_type"),
            b.record_id.label("record_id"),
            b.key.label("key"),
            _text(b.details[0]).label("detail"),
            _text(b.details[1]).label("detail2"),
            literal_column(str(RANK[b.kind])).label("rank"),
        )
        if shape.per_kind and shape.scope is AgendaScope.team:
            # Each branch walks its date index in order and stops after one page; SQLite
            # takes ORDER BY/LIMIT inside a compound only in a subquery.
            limit = bindparam("per_kind", type_=Integer())
            inner = stmt.order_by(b.base, b.key).limit(limit).subquery()
            stmt = select(*inner.c)
        parts.append(stmt)
    return union_all(*parts).subquery("agenda")
