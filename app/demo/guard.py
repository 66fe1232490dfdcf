"""What the demo loader may touch: only a database whose accounts and records are all the
demo's own (a reset deletes the case work and keeps the accounts and the audit log)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.db import Base, note_data_write
from app.detections.models import Detection
from app.users.models import User
from app.victims.models import Victim

DEMO_PREFIX = "demo"
# Tables a reset leaves alone: accounts, their bookkeeping, the audit log, the counters.
KEEP_ON_RESET = frozenset(
    {"users", "user_teams", "api_tokens", "audit_events", "login_attempts", "data_versions"}
)


class DemoRefused(RuntimeError):
    """The database holds records that are not demo records (or this is production)."""


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
