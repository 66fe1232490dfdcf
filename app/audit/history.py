"""Reading the audit log: a record's change history, and the filtered log itself.

Both lists are keyset-paginated. A history merges two sources (audit events, and for a
case its status changes) under one sort key: (at DESC, source ASC, id DESC).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction, AuditEvent
from app.audit.schemas import AuditEventRead, HistoryEntry
from app.cases.models import CaseStatusChange
from app.errors import InvalidInput
from app.pagination import decode_cursor, encode_cursor
from app.users.models import User

CHANGE_ACTIONS = (AuditAction.create, AuditAction.update, AuditAction.delete, AuditAction.restore)
_AUDIT, _STATUS = 0, 1


def _utc(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _after(
    col_at: Any, col_id: Any, source: int, cursor: tuple[datetime, int, Any] | None
) -> ColumnElement[bool] | None:
    """Rows of `source` that sort after the cursor in (at DESC, source ASC, id DESC)."""
    if cursor is None:
        return None
    c_at, c_source, c_id = cursor
    if source > c_source:
        return col_at <= c_at  # type: ignore[no-any-return]
    if source < c_source:
        return col_at < c_at  # type: ignore[no-any-return]
    return or_(col_at < c_at, and_(col_at == c_at, col_id < c_id))


def _history_cursor(cursor: str | None) -> tuple[datetime, int, Any] | None:
    if cursor is None:
        return None
    at, source, ident = decode_cursor(cursor, 3)
    try:
        parsed_at = _utc(datetime.fromisoformat(at))
        src = int(source)
        key: Any = int(ident) if src == _AUDIT else uuid.UUID(ident)
    except ValueError as exc:
        raise InvalidInput("cursor", "cursor_invalid") from exc
    if src not in (_AUDIT, _STATUS):
        raise InvalidInput("cursor", "cursor_invalid")
    return parsed_at, src, key


def record_history(
    session: Session,
    record_type: str,
    record_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None = None,
    with_status_changes: bool = False,
) -> tuple[list[HistoryEntry], str | None]:
    """Changes of one record, newest first: who, when, action and field names only."""
    after = _history_cursor(cursor)
    rows: list[tuple[datetime, int, Any, HistoryEntry]] = []
    stmt = (
        select(AuditEvent)
        .where(
            AuditEvent.record_type == record_type,
            AuditEvent.record_id == str(record_id),
            AuditEvent.action.in_(CHANGE_ACTIONS),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit + 1)
    )
    cond = _after(AuditEvent.at, AuditEvent.id, _AUDIT, after)
    if cond is not None:
        stmt = stmt.where(cond)
    for ev in session.scalars(stmt):
        rows.append(
            (
                _utc(ev.at),
                _AUDIT,
                ev.id,
                HistoryEntry(
                    at=_utc(ev.at),
                    user=ev.username,
                    action=str(ev.action),
                    fields=ev.fields.split(",") if ev.fields else [],
                    detail=ev.detail,
                ),
            )
        )
    if with_status_changes:
        sc = (
            select(CaseStatusChange, User.username)
            .outerjoin(User, User.id == CaseStatusChange.actor_id)
            .where(CaseStatusChange.case_id == record_id)
            .order_by(CaseStatusChange.at.desc(), CaseStatusChange.id.desc())
            .limit(limit + 1)
        )
        cond = _after(CaseStatusChange.at, CaseStatusChange.id, _STATUS, after)
        if cond is not None:
            sc = sc.where(cond)
        for change, username in session.execute(sc):
            rows.append(
                (
                    _utc(change.at),
                    _STATUS,
                    change.id,
                    HistoryEntry(
                        at=_utc(change.at),
                        user=username,
                        action="status_change",
                        fields=["status"],
                        from_status=change.from_status,
                        to_status=change.to_status,
                        close_reason=change.close_reason,
                    ),
                )
            )
    # Python sort of at most 2*(limit+1) rows: DESC on time and id, ASC on source.
    rows.sort(key=lambda r: (r[0], -r[1], _sortable(r[2])), reverse=True)
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        at, source, ident, _ = page[-1]
        next_cursor = encode_cursor(at.isoformat(), source, ident)
    return [r[3] for r in page], next_cursor


def _sortable(ident: Any) -> Any:
    # Mixed id types never meet at equal (at, source), but keep the key comparable.
    return ident.bytes if isinstance(ident, uuid.UUID) else ident.to_bytes(8, "big")


def list_audit_events(
    session: Session,
    *,
    user: str | None = None,
    record: str | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int,
    cursor: str | None = None,
) -> tuple[list[AuditEventRead], str | None]:
    """The audit log, newest first, filtered by user (id or username), record and period."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1)
    if user:
        user_id = _user_id(session, user)
        if user_id is None:
            return [], None  # an unknown username has no events (not the anonymous ones)
        stmt = stmt.where(AuditEvent.user_id == user_id)
    if record:
        stmt = stmt.where(AuditEvent.record_id == record)
    if start:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(start, time(), tzinfo=UTC))
    if end:
        stmt = stmt.where(
            AuditEvent.at < datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)
        )
    if cursor:
        (last_id,) = decode_cursor(cursor, 1)
        if not last_id.isdigit():
            raise InvalidInput("cursor", "cursor_invalid")
        stmt = stmt.where(AuditEvent.id < int(last_id))
    events: Sequence[AuditEvent] = session.scalars(stmt).all()
    page = events[:limit]
    items = [
        AuditEventRead(
            at=_utc(ev.at),
            user=ev.username,
            action=ev.action,
            record_type=ev.record_type,
            record_id=ev.record_id,
            client=ev.client,
        )
        for ev in page
    ]
    next_cursor = encode_cursor(page[-1].id) if len(events) > limit else None
    return items, next_cursor


def _user_id(session: Session, user: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(user)
    except ValueError:
        return session.scalar(select(User.id).where(User.username == user))
