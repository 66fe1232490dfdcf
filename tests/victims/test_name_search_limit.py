"""The hourly disclosure limit holds across concurrent requests (workers): counted from
the audit log, one person's requests ordered by the lock on their user row (PostgreSQL)
or by the single writer (SQLite), on a database committing for real."""

from __future__ import annotations

import threading
import time
import uuid

from sqlalchemy import func, select

from app.audit.models import AuditAction, AuditEvent
from app.audit.service import record_event
from app.catalogs import Team
from app.db import DEFER_LOCKS, make_session_factory
from app.users.models import User
from app.victims import disclosure
from tests.factories import make_user


def test_two_requests_at_once_never_pass_the_limit(fresh_db):
    _, engine = fresh_db
    factory = make_session_factory(engine)
    with factory() as db:
        user = make_user(db, teams=[Team.lima])
        for _ in range(disclosure.PER_HOUR - 1):
            record_event(db, AuditAction.disclose_existence, actor=user, detail="search")
        db.commit()
        user_id = user.id
    granted: list[int] = []
    first_holds = threading.Event()

    def request(hold: float) -> None:
        with factory() as session:
            session.info[DEFER_LOCKS] = True  # as a request session: events at COMMIT
            actor = session.get_one(User, user_id)
            left, _ = disclosure.remaining(session, actor)
            shown = disclosure.disclose(
                session, actor, [(uuid.uuid4(), "x")], detail="search", allowed=left
            )
            granted.append(len(shown))
            if hold:
                first_holds.set()
                time.sleep(hold)  # the other request arrives while this one is open
            session.commit()

    first = threading.Thread(target=request, args=(0.5,))
    first.start()
    assert first_holds.wait(10)
    second = threading.Thread(target=request, args=(0,))
    second.start()
    first.join(20)
    second.join(20)
    assert sorted(granted) == [0, 1]
    with factory() as db:
        count = db.scalar(
            select(func.count()).where(
                AuditEvent.user_id == user_id,
                AuditEvent.action == AuditAction.disclose_existence,
            )
        )
    assert count == disclosure.PER_HOUR
