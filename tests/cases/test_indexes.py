"""The searches of case work are served by indexes (checked on SQLite's query plans)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditEvent
from app.cases.codes import code_filter
from app.cases.models import Case
from app.catalogs import Role, Team
from app.scope import visible_cases, visible_victims
from app.users.models import User, UserTeam
from app.victims.models import Victim, VictimIdentity


def _plan(db, stmt) -> list[str]:
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("plans are checked on SQLite (PostgreSQL's depend on table statistics)")
    sql = stmt.compile(db.get_bind(), compile_kwargs={"literal_binds": True})
    return [row[-1] for row in db.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]


def _staff() -> User:
    return User(username="plan", role=Role.lawyer, team_links=[UserTeam(team=Team.lima)])


def _searches_only(plan: list[str]) -> None:
    # "SCAN t" reads a whole table (or index); "SEARCH t USING INDEX" is a lookup.
    assert not [step for step in plan if step.startswith("SCAN")], plan
    assert any("USING INDEX" in step for step in plan), plan


@pytest.mark.parametrize("q", ["LIM-2024-0042", "LIM-20", "2024-0042", "42", "LIM"])
def test_code_search_uses_an_index(db, q):
    stmt = (
        visible_cases(_staff())
        .where(code_filter(q))
        .order_by(Case.opened_on.desc(), Case.id.desc())
        .limit(51)
    )
    _searches_only(_plan(db, stmt))


def test_document_search_uses_the_blind_index(db):
    stmt = (
        visible_victims(_staff())
        .join(VictimIdentity, VictimIdentity.victim_id == Victim.id)
        .where(VictimIdentity.document_index.in_(["a" * 64, "b" * 64]))
        .limit(51)
    )
    plan = _plan(db, stmt)
    _searches_only(plan)
    assert any("document_index" in step for step in plan)


def test_record_history_uses_the_record_index(db):
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.record_type == "case", AuditEvent.record_id == "x")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(51)
    )
    _searches_only(_plan(db, stmt))
