"""The searches of case work are served by indexes (checked on SQLite's query plans)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.cases.codes import code_filter
from app.cases.models import Case
from app.catalogs import Role, Team
from app.scope import visible_cases, visible_victims
from app.users.models import User, UserTeam
from app.victims.models import Victim, VictimIdentity
from tests import dbutil

# Rows per table of a national registry, and how many values a low-cardinality column
# takes; every other column is taken as nearly unique (2 rows per value).
LARGE = {"cases": 700_000, "victims": 1_000_000, "victim_identities": 1_000_000}
LARGE_DEFAULT = 2_000_000
FEW_VALUES = {"team": 5, "opened_by_team": 5, "status": 3, "record_type": 12, "sex": 2}


@pytest.fixture(scope="module")
def db():
    """A database of this module's own, migrated, with the planner statistics a large
    registry would have (ANALYZE of a few test rows, which the service takes once a table
    passes 1000 rows, would describe another database; app/db/engine.py)."""
    if dbutil.BACKEND != "sqlite":
        pytest.skip("plans are checked on SQLite (PostgreSQL's depend on table statistics)")
    with dbutil.migrated_database("plans") as (_, engine), Session(engine) as session:
        _large_statistics(session)
        yield session


def _large_statistics(session: Session) -> None:
    session.execute(text("ANALYZE"))  # creates sqlite_stat1 (empty tables leave no rows)
    tables = [
        t
        for (t,) in session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        )
    ]
    for table in tables:
        rows = LARGE.get(table, LARGE_DEFAULT)
        for index in session.execute(text(f'PRAGMA index_list("{table}")')).mappings():
            stat, left = [rows], rows
            for col in session.execute(text(f'PRAGMA index_info("{index["name"]}")')).mappings():
                left = max(1, left // FEW_VALUES.get(col["name"], rows // 2))
                stat.append(left)
            if index["unique"]:
                stat[-1] = 1
            session.execute(
                text("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (:t, :i, :s)"),
                {"t": table, "i": index["name"], "s": " ".join(map(str, stat))},
            )
    session.commit()
    session.execute(text("ANALYZE sqlite_schema"))  # the planner reloads the statistics


def _plan(db, stmt) -> list[str]:
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
