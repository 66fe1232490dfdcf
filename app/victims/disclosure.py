"""Telling a caller that a person exists in another team: audited, and limited per hour.

A name search or a duplicate check may say "this person also exists in team X, case C"
for a strong match outside the caller's teams. Each such statement is a
`disclose_existence` event (record: the victim; detail: where it was asked; never a name),
and a person gets at most `PER_HOUR` of them in any hour, so nobody can fish the registry
for names. The count comes from the audit log itself (plus this request's events not yet
written), under a lock on the caller's user row, so it holds across workers and
processes: on PostgreSQL the row lock orders one person's concurrent requests until
COMMIT; on SQLite every transaction is already the only writer (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction, AuditEvent
from app.audit.service import record_event
from app.db import utcnow
from app.errors import RateLimited
from app.users.models import User

PER_HOUR = 30
WINDOW = timedelta(hours=1)
T = TypeVar("T")


class DisclosureLimit(RateLimited):
    code = "disclosure_limit_reached"


def _pending(session: Session, actor: User) -> int:
    """This request's disclosures queued for the audit chain (written at COMMIT)."""
    queued = session.info.get("audit_pending", [])
    return sum(
        1
        for e in queued
        if isinstance(e, AuditEvent)
        and e.action == AuditAction.disclose_existence
        and e.user_id == actor.id
        and e.id is None
    )


def remaining(session: Session, actor: User) -> tuple[int, int]:
    """(disclosures the actor may still receive this hour, seconds until one more frees).

    Locks the actor's user row first (see the module's docstring)."""
    session.execute(select(User.id).where(User.id == actor.id).with_for_update())
    since = utcnow() - WINDOW
    used, oldest = session.execute(
        select(func.count(), func.min(AuditEvent.at)).where(
            AuditEvent.user_id == actor.id,
            AuditEvent.action == AuditAction.disclose_existence,
            AuditEvent.at >= since,
        )
    ).one()
    left = PER_HOUR - int(used) - _pending(session, actor)
    wait = WINDOW.total_seconds()
    if oldest is not None:
        at = oldest if oldest.tzinfo is not None else oldest.replace(tzinfo=since.tzinfo)
        wait = (at + WINDOW - utcnow()).total_seconds()
    return left, int(wait) + 1


def ensure_may_disclose(session: Session, actor: User) -> int:
    """How many disclosures the actor may still receive; 429 when none is left.

    Asked before searching other teams at all, so that past the limit the answer does
    not depend on whether a match exists (the 429 itself says nothing)."""
    left, wait = remaining(session, actor)
    if left <= 0:
        raise DisclosureLimit(wait)
    return left


def disclose(
    session: Session,
    actor: User,
    found: Sequence[tuple[uuid.UUID, T]],
    *,
    detail: str,
    allowed: int,
) -> list[T]:
    """Audit the disclosure of each (victim id, entry), at most `allowed` of them; the
    entries disclosed, in order (the rest is left out)."""
    shown = list(found)[: max(allowed, 0)]
    for victim_id, _ in shown:
        record_event(
            session,
            AuditAction.disclose_existence,
            actor=actor,
            record_type="victim",
            record_id=victim_id,
            detail=detail,
        )
    return [entry for _, entry in shown]
