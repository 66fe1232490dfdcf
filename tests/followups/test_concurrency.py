"""20 threads adding follow-ups to one victim at once, through the app, on a real database."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import verify_chain
from app.catalogs import Role
from app.db import SessionDep, make_session_factory, today
from app.deps import Principal, get_principal
from app.followups.models import FollowUp
from app.main import create_app
from app.users.models import User
from tests.conftest import make_settings
from tests.factories import make_user, make_victim

THREADS = 20


def test_twenty_threads_adding_follow_ups_are_all_stored(fresh_db):
    url, engine = fresh_db
    with make_session_factory(engine)() as session:
        user_id = make_user(session, role=Role.lawyer).id
        victim_id = make_victim(session).id
        session.commit()

    app = create_app(make_settings(url), session_factory=None)  # its own engine and pool

    def principal(session: SessionDep) -> Principal:
        return Principal(user=session.get_one(User, user_id), token=None)

    app.dependency_overrides[get_principal] = principal
    start = threading.Barrier(THREADS)

    def add(n: int) -> int:
        with TestClient(app) as client:
            start.wait(timeout=30)  # every request in flight together
            resp = client.post(
                f"/api/v1/victims/{victim_id}/follow-ups",
                json={
                    "occurred_on": today().isoformat(),
                    "kind": "social",
                    "narrative": f"Visita {n}",
                    "actions": [{"type": "home_visit", "status": "done"}],
                },
            )
            return resp.status_code

    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            statuses = list(pool.map(add, range(THREADS)))
    finally:
        app.state.engine.dispose()

    assert statuses == [201] * THREADS
    with Session(engine) as session:
        rows = session.scalars(select(FollowUp).where(FollowUp.victim_id == victim_id)).all()
        stored = [f.narrative for f in rows]
        assert sorted(stored) == sorted(f"Visita {n}" for n in range(THREADS))
        assert session.scalar(select(func.count()).select_from(FollowUp)) == THREADS
        assert verify_chain(session) == []  # the audit chain stayed intact under contention
