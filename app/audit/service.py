"""Writing and reading the audit log (hash-chained, never identity or free text)."""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Select, Table, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session

from app.audit.models import AuditAction, AuditEvent
from app.audit.records import digest_events
from app.crypto import Binding
from app.db import BUMP_DATA_VERSION, DEFER_LOCKS, on_unverifiable, utcnow
from app.users.models import User

GENESIS = "0" * 64
# Arbitrary constant naming the PostgreSQL advisory lock that orders the chain.
_CHAIN_LOCK = 7_413_902
_TABLE = cast(Table, AuditEvent.__table__)
_COLUMNS = tuple(c.key for c in _TABLE.columns)


def event_digest(prev_hash: str, event: AuditEvent) -> str:
    """SHA-256 over the previous hash and every field of the event (canonical JSON)."""
    body = {
        "id": event.id,
        "at": _ts(event.at),
        "user_id": str(event.user_id or ""),
        "username": event.username or "",
        "action": str(event.action),
        "record_type": event.record_type or "",
        "record_id": event.record_id or "",
        "client": event.client or "",
        "fields": event.fields or "",
        "detail": event.detail or "",
    }
    if event.record_digest:  # events written before digests existed hash as they did
        body["record_digest"] = event.record_digest
    payload = prev_hash + json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _ts(at: datetime) -> str:
    # SQLite hands back naive UTC datetimes, PostgreSQL aware ones in the session's time
    # zone: hash the UTC wall time either way, so the chain verifies whatever TimeZone is.
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return at.replace(tzinfo=None).isoformat(timespec="microseconds")


def record_event(
    session: Session,
    action: AuditAction,
    *,
    actor: User | None,
    record_type: str | None = None,
    record_id: uuid.UUID | str | None = None,
    fields: Iterable[str] | None = None,
    detail: str | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    Appending takes the chain's lock (serialising every writer across workers) and holds it
    until COMMIT. Request sessions (DEFER_LOCKS) therefore queue the event and chain it in
    the before_commit hook, so the lock lives for a few statements instead of the request;
    other sessions (CLI, restore) chain it at once, as before.
    """
    event = AuditEvent(
        at=utcnow(),
        user_id=actor.id if actor else None,
        username=actor.username if actor else username,
        action=action,
        record_type=record_type,
        record_id=str(record_id) if record_id is not None else None,
        client=session.info.get("client"),
        fields=",".join(sorted(fields)) if fields else None,
        detail=detail,
        record_digest=None,
        prev_hash="",
        hash="",
    )
    session.info.setdefault("audit_pending", []).append(event)
    if not session.info.get(DEFER_LOCKS):
        append_pending(session)  # CLI and ad-hoc sessions: chained at once, as before
    return event


def record_narrative_read(
    session: Session,
    reader: User,
    record_type: str,
    record_id: uuid.UUID,
    fields: Iterable[str],
    *,
    detail: str,
) -> AuditEvent:
    """A `read_narrative` event: a page showed `reader` these free-text fields of a record
    (`detail` says which page, or how many)."""
    return record_event(
        session,
        AuditAction.read_narrative,
        actor=reader,
        record_type=record_type,
        record_id=record_id,
        fields=fields,
        detail=detail,
    )


def _audit_unverifiable(session: Session | None, binding: Binding) -> None:
    """A read met a value that fails to authenticate: one event naming its place (the
    request's caller when known), chained at COMMIT like the request's other events."""
    if session is None:  # a detached object: the log line is all there is
        return
    record_event(
        session,
        AuditAction.unverifiable,
        actor=session.info.get("actor"),
        record_type=binding.table,
        record_id=binding.row,
        fields=[binding.column],
    )


on_unverifiable(_audit_unverifiable)


def append_pending(session: Session, *, bump_data_version: bool = False) -> None:
    """Chain and insert the queued events (called by the session's before_commit hook).

    With `bump_data_version` the data version's UPDATE goes first, in the same round trip.
    """
    pending: list[AuditEvent] = session.info.pop("audit_pending", [])
    digest_events(session, pending)  # reads the written rows: before the lock, not under it
    if pending and session.get_bind().dialect.name == "postgresql":
        last_id, prev_hash = _lock_and_read_head_pg(session, bump_data_version)
    else:  # SQLite (BEGIN IMMEDIATE made this the only writer), or nothing to chain
        if bump_data_version:
            session.execute(text(BUMP_DATA_VERSION))
        if not pending:
            return
        last_id, prev_hash = chain_head(session)
    for event in pending:
        last_id += 1
        event.id = last_id
        event.prev_hash = prev_hash
        event.hash = prev_hash = event_digest(prev_hash, event)
    # This runs while the chain lock is held, so every statement and every millisecond of
    # Python here is paid by all writers: one Core INSERT (0.2 ms of CPU), not a
    # unit-of-work flush nor the ORM's bulk path (0.35 ms).
    session.connection().execute(
        insert(_TABLE), [{col: getattr(event, col) for col in _COLUMNS} for event in pending]
    )


def _lock_and_read_head_pg(session: Session, bump_data_version: bool) -> tuple[int, str]:
    # Every writer of every worker queues here, and each round trip made while holding the
    # locks costs all of them: the version bump (a row lock), the chain's advisory lock and
    # the read of the chain's head travel as one simple-protocol query. Each statement
    # still runs in order with a snapshot of its own, so the head is read after the lock.
    statements = [BUMP_DATA_VERSION] if bump_data_version else []
    statements += [f"SELECT pg_advisory_xact_lock({_CHAIN_LOCK})", _head_sql_pg()]
    query = "; ".join(statements)
    dbapi_conn: Any = session.connection().connection.dbapi_connection
    driver: Any = session.get_bind().dialect.loaded_dbapi
    try:
        with dbapi_conn.cursor() as cur:
            cur.execute(query)  # no parameters: the simple protocol, several statements
            for _ in statements[1:]:
                cur.nextset()
            head = cur.fetchone()
    except driver.Error as exc:  # as SQLAlchemy would raise it: a lock timeout is a 503
        raise DBAPIError.instance(query, None, exc, driver.Error) from exc
    return (int(head[0]), str(head[1])) if head else (0, GENESIS)


def _head_query() -> Select[int, str]:
    return select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)


@functools.cache
def _head_sql_pg() -> str:
    # Compiled on first use, not at import: that would configure the mappers before every
    # model module is imported.
    return str(
        _head_query().compile(
            dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
            compile_kwargs={"literal_binds": True},
        )
    )


def chain_head(session: Session) -> tuple[int, str]:
    """(id, hash) of the newest event, (0, GENESIS) when there is none."""
    last = session.execute(_head_query()).first()
    return (last.id, last.hash) if last else (0, GENESIS)


def verify_chain(session: Session, batch: int = 5000) -> list[str]:
    """Problems found walking the chain in id order (empty when intact)."""
    problems: list[str] = []
    prev_hash, prev_id = GENESIS, 0
    last_id = 0
    while True:
        ids = list(
            session.scalars(
                select(AuditEvent.id)
                .where(AuditEvent.id > last_id)
                .order_by(AuditEvent.id)
                .limit(batch)
            )
        )
        if not ids:
            break
        for ev_id, ev in _load(session, ids):
            if ev_id != prev_id + 1:
                problems.append(f"event {ev_id}: gap after {prev_id} (deleted rows?)")
            if ev is None:  # a value the model cannot even read: edited by hand
                problems.append(f"event {ev_id}: unreadable, contents were edited")
                prev_hash, prev_id = "", ev_id
                continue
            if ev.prev_hash != prev_hash:
                problems.append(
                    f"event {ev_id}: previous hash does not match (deleted or inserted row?)"
                )
            if event_digest(ev.prev_hash, ev) != ev.hash:
                problems.append(f"event {ev_id}: contents were edited")
            prev_hash, prev_id = ev.hash, ev_id
        last_id = ids[-1]
        session.expunge_all()  # bounded memory on a long chain
    return problems


def _load(session: Session, ids: list[int]) -> list[tuple[int, AuditEvent | None]]:
    """The events with these ids; one by one when some row cannot be loaded."""
    try:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id.in_(ids)).order_by(AuditEvent.id)
        ).all()
        return [(ev.id, ev) for ev in rows]
    except (ValueError, LookupError, StatementError):
        out: list[tuple[int, AuditEvent | None]] = []
        for ev_id in ids:
            try:
                out.append(
                    (ev_id, session.scalars(select(AuditEvent).where(AuditEvent.id == ev_id)).one())
                )
            except (ValueError, LookupError, StatementError):
                out.append((ev_id, None))
        return out
