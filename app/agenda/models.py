"""The indexes the agenda reads by (no table of its own: every item is computed).

Each kind of item is found by walking one date column from the start of the window, so
each of those columns has an index on (date, id), the agenda's own order. Each index is
partial: it holds only the rows that can still be due (a live measure with an end, an
outgoing referral still pending, a planned action with a date...), so a page walks past
no answered referral or achieved goal. The kind's query states the same conditions
(`LIVE`), in the same terms, so that both databases can use the index: SQLite matches the
query's terms against the index's, and PostgreSQL must prove them from the query's text,
which it cannot do from a bound parameter in a generic plan. The values are therefore
literals (catalog codes, never input). After the date and id each index carries the
columns its branch reads, and two more answer each walked row's victim and case by id, so
a page reads indexes only: at 1M victims a page costs a few thousand index pages, all of
them of rows near the window's start.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, Index, Table, and_, literal_column, or_

from app.cases.models import Case
from app.catalogs import (
    ActionStatus,
    GoalStatus,
    PlanStatus,
    ReferralDirection,
    ReferralOutcome,
)
from app.db import Base
from app.followups.models import FollowUpAction
from app.plans.models import Plan, PlanGoal
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.victims.models import Victim

CLOSED_PLAN = (PlanStatus.implemented, PlanStatus.completed, PlanStatus.abandoned)
GOAL_DONE = (GoalStatus.achieved, GoalStatus.dropped)


def _code(member: StrEnum) -> ColumnElement[str]:
    return literal_column(f"'{member.value}'")


# Per table: the rows that can still be an agenda item, whatever the case's state.
LIVE: dict[str, ColumnElement[bool]] = {
    "plans": and_(
        Plan.deleted_at.is_(None),
        Plan.next_review_on.is_not(None),
        Plan.status.not_in([_code(s) for s in CLOSED_PLAN]),
    ),
    "plan_goals": and_(
        PlanGoal.due_on.is_not(None), PlanGoal.status.not_in([_code(s) for s in GOAL_DONE])
    ),
    "protection_measures": and_(
        ProtectionMeasure.deleted_at.is_(None), ProtectionMeasure.ends_on.is_not(None)
    ),
    "victims": and_(Victim.deleted_at.is_(None), Victim.reflection_until.is_not(None)),
    "referrals": and_(
        Referral.deleted_at.is_(None),
        Referral.direction == _code(ReferralDirection.outgoing),
        or_(Referral.outcome.is_(None), Referral.outcome == _code(ReferralOutcome.pending)),
    ),
    "follow_up_actions": and_(
        FollowUpAction.due_on.is_not(None),
        FollowUpAction.status == _code(ActionStatus.planned),
    ),
}


# Per table: the date it walks by, then every other column its branch reads, so that a
# walk reads the index alone (SQLite: a covering index; PostgreSQL: an index-only scan).
# Each index is named ix_agenda_<table>.
COLUMNS: tuple[tuple[type[Base], tuple[str, ...]], ...] = (
    (Plan, ("next_review_on", "id", "victim_id", "assessed_on", "status", "deleted_at")),
    (PlanGoal, ("due_on", "id", "plan_id", "dimension", "status")),
    (ProtectionMeasure, ("ends_on", "id", "victim_id", "kind", "institution", "deleted_at")),
    (Victim, ("reflection_until", "id", "case_id", "code", "deleted_at")),
    (
        Referral,
        ("referred_on", "id", "victim_id", "institution", "direction", "outcome", "deleted_at"),
    ),
    (FollowUpAction, ("due_on", "id", "follow_up_id", "type", "institution", "status")),
)
# Every walked row is checked against its victim and case (team, open, not deleted): by
# id, in an index that holds what the check and the item read, not in the table.
SCOPE: tuple[tuple[type[Base], tuple[str, ...]], ...] = (
    (Victim, ("id", "case_id", "code", "deleted_at")),
    (Case, ("id", "team", "status", "deleted_at", "code")),
)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _walk(model: type[Base], columns: tuple[str, ...]) -> Index:
    table = _table(model)
    where = LIVE[table.name]
    return Index(
        f"ix_agenda_{table.name}",
        *(table.c[c] for c in columns),
        sqlite_where=where,
        postgresql_where=where,
    )


def _scope(model: type[Base], columns: tuple[str, ...]) -> Index:
    table = _table(model)
    return Index(f"ix_agenda_{table.name}_scope", *(table.c[c] for c in columns))


AGENDA_INDEXES = tuple(_walk(m, c) for m, c in COLUMNS) + tuple(_scope(m, c) for m, c in SCOPE)
