"""The demo data comes with a few pending transfers, each visible to its receiving team."""

from __future__ import annotations

from sqlalchemy import select

from app.catalogs import Team, TransferStatus
from app.demo.loader import load_demo
from app.transfers import service
from app.transfers.models import Transfer
from app.users.models import User


def test_demo_has_pending_transfers_for_the_receiving_teams(db):
    load_demo(db, fast_hash=True)
    pending = db.scalars(select(Transfer).where(Transfer.status == TransferStatus.pending)).all()
    assert len(pending) == 3 and len({t.case_id for t in pending}) == 3
    lima = db.scalar(select(User).where(User.username == "demo_psi_lima"))
    incoming, _ = service.list_transfers(db, lima, status=TransferStatus.pending)
    assert {(t.from_team, t.to_team) for t in incoming} == {
        (Team.puno, Team.lima),
        (Team.loreto, Team.lima),
    }
    assert all(t.note is None and t.notes_hidden for t in incoming)
