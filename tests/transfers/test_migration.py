"""The migration of transfers on a database that holds cases: `opened_by_team` is filled
from `team` (no digest voided), and it goes back down unless a case was transferred."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import inspect, select, update

from app.audit.records import _coded, canonical, verify_records
from app.cases.models import Case
from app.cases.schemas import CaseCreate
from app.cases.service import create_case
from app.catalogs import Role, Team, TransferReason
from app.db import make_session_factory
from app.transfers import service as transfers
from app.transfers.schemas import TransferCreate, TransferDecision
from tests import dbutil
from tests.factories import make_case, make_user, make_victim

BEFORE = "a3f0e4d6c905"


def _to(engine, revision: str, *, down: bool = False) -> None:
    cfg = dbutil.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_existing_cases_keep_their_team_and_the_column_goes_on_downgrade():
    with dbutil.migrated_database("transfers") as (_, engine):
        with make_session_factory(engine)() as db:
            for team in (Team.puno, Team.cusco):
                make_victim(db, case=make_case(db, team=team))
            db.commit()
        _to(engine, BEFORE, down=True)
        assert "opened_by_team" not in {c["name"] for c in inspect(engine).get_columns("cases")}
        assert "transfers" not in inspect(engine).get_table_names()
        _to(engine, "head")
        with engine.connect() as conn:
            pairs = set(conn.execute(select(Case.team, Case.opened_by_team)))
        assert pairs == {(Team.puno, Team.puno), (Team.cusco, Team.cusco)}
        # Once a case was transferred, going down would move its statistics: refused.
        with engine.begin() as conn:
            conn.execute(update(Case).where(Case.team == Team.puno).values(team=Team.lima))
        with pytest.raises(RuntimeError, match="transferred"):
            _to(engine, BEFORE, down=True)


def test_backfilled_column_voids_no_digest_but_an_edit_of_it_shows(db):
    """Digests written before the column existed verify after the backfill (the column
    weighs nothing while it equals `team`); a transfer is digested when it is accepted; an
    edit by SQL is still named by verify."""
    actor = make_user(db, role=Role.lawyer, teams=[Team.puno])
    case = create_case(db, CaseCreate(team=Team.puno, opened_on=date(2024, 4, 2)), actor=actor)
    table = Case.__table__
    with_column = db.execute(select(*_coded(table)).where(table.c.id == case.id)).one()
    without = db.execute(
        select(*(c for c in _coded(table) if c.name != "opened_by_team")).where(
            table.c.id == case.id
        )
    ).one()
    assert canonical(table, with_column) == canonical(table, without)
    assert not [p for p in verify_records(db) if str(case.id) in p]
    proposal = TransferCreate(version=case.version, to_team=Team.lima, reason=TransferReason.other)
    transfer = transfers.propose(db, case, proposal, actor=actor)
    receiver = make_user(db, role=Role.psychologist, teams=[Team.lima])
    transfers.accept(db, receiver, transfer.id, TransferDecision())
    assert not [p for p in verify_records(db) if str(case.id) in p]
    db.execute(update(Case).where(Case.id == case.id).values(opened_by_team=Team.cusco))
    assert [p for p in verify_records(db) if str(case.id) in p]
