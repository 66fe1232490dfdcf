"""Helpers shared by the work-on-a-victim domains (follow-ups, plans, referrals, measures,
consents, detections): date rules, versions, soft deletion and keyset pages.

They live here rather than in a package of their own because these six domains are owned
together; nothing in them knows about HTTP.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.cases.models import Case
from app.catalogs import Role
from app.db import today, utcnow
from app.errors import Conflict, InvalidInput, NotAllowed, NotFound, StaleVersion
from app.pagination import decode_cursor, encode_cursor
from app.scope import ensure_case_reader, visible_victims
from app.users.models import User
from app.victims.models import Victim

T = TypeVar("T")

FUTURE_DATE = "La fecha no puede ser posterior a hoy."
BEFORE_OPENING = "La fecha no puede ser anterior a la apertura del caso."


class Problems:
    """Collects field-level problems so one 422 reports all of them at once."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append((field, message))

    def past_date(self, field: str, value: date | None, *, not_before: date | None = None,
                  not_before_msg: str = BEFORE_OPENING) -> None:
        """`value` must not be in the future, nor before `not_before` when given."""
        if value is None:
            return
        if value > today():
            self.add(field, FUTURE_DATE)
        elif not_before is not None and value < not_before:
            self.add(field, not_before_msg)

    def not_before(self, field: str, value: date | None, floor: date | None,
                   message: str) -> None:
        if value is not None and floor is not None and value < floor:
            self.add(field, message)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        field, message = self.items[0]
        err = InvalidInput(field, message)
        err.detail = [{"loc": f.split("."), "msg": m, "type": "value_error"}
                      for f, m in self.items]
        raise err


def case_opened_on(session: Session, victim: Victim) -> date:
    """The opening date of the victim's case: the floor of every work date."""
    case = session.get_one(Case, victim.case_id)
    return case.opened_on


def visible_victim_ids(user: User) -> Select[tuple[uuid.UUID]]:
    """Ids of the victims the caller may see (scope decided in app.scope)."""
    return visible_victims(user).with_only_columns(Victim.id)


def ensure_coordinator(user: User) -> None:
    """Restoring deleted records is for coordinators (of the record's team)."""
    if user.role != Role.coordinator:
        raise NotAllowed("Only coordinators may restore deleted records.")


def ensure_version(record: Any, version: int | None) -> None:
    """A stale `version` is a 409 before anything changes."""
    if version is not None and version != record.version:
        raise StaleVersion()


def apply_changes(record: Any, changes: dict[str, Any]) -> list[str]:
    """Set the given attributes; return the names of those whose value changed."""
    changed = []
    for name, value in changes.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed


def touch(record: Any) -> None:
    """Mark the row dirty so its version moves even when only child rows changed."""
    record.updated_at = utcnow()


def soft_delete(session: Session, record: Any, *, version: int, actor: User,
                record_type: str) -> None:
    """Hide a record from every list and count; it stays, and a coordinator may restore it."""
    ensure_version(record, version)
    record.deleted_at = utcnow()
    record.deleted_by_id = actor.id
    session.flush()
    record_event(session, AuditAction.delete, actor=actor, record_type=record_type,
                 record_id=record.id, fields=["deleted_at"])


def restore_deleted(session: Session, record: Any, *, version: int, actor: User,
                    record_type: str) -> None:
    """Bring a soft-deleted record back (409 when it is not deleted)."""
    if record.deleted_at is None:
        raise Conflict("The record is not deleted.")
    ensure_version(record, version)
    record.deleted_at = None
    record.deleted_by_id = None
    session.flush()
    record_event(session, AuditAction.restore, actor=actor, record_type=record_type,
                 record_id=record.id, fields=["deleted_at"])


def record_write(session: Session, action: AuditAction, *, actor: User, record_type: str,
                 record_id: uuid.UUID, fields: Iterable[str]) -> None:
    record_event(session, action, actor=actor, record_type=record_type,
                 record_id=record_id, fields=sorted(set(fields)))


def _parse(value: str, kind: type) -> Any:
    if kind is date:
        return date.fromisoformat(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is uuid.UUID:
        return uuid.UUID(value)
    return value


def keyset_page(session: Session, stmt: Select[T],
                keys: Sequence[tuple[InstrumentedAttribute[Any], type]], *, limit: int,
                cursor: str | None) -> tuple[list[T], str | None]:
    """Newest first by `keys`; the cursor is the key of the last item returned."""
    cols = [col for col, _ in keys]
    if cursor:
        raw = decode_cursor(cursor, len(keys))
        try:
            values = [_parse(v, kind) for v, (_, kind) in zip(raw, keys, strict=True)]
        except ValueError as exc:
            raise InvalidInput("cursor", "Invalid cursor.") from exc
        stmt = stmt.where(tuple_(*cols) < tuple_(*values))
    rows = list(session.scalars(stmt.order_by(*[c.desc() for c in cols]).limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor(*[_value(getattr(last, c.key)) for c in cols])


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value



def get_victim_record(session: Session, user: User, model: type[T], record_id: uuid.UUID, *,
                      not_found: type[NotFound], include_deleted: bool = False) -> T:
    """A record hanging from a victim the caller may see (404 `not_found` otherwise)."""
    ensure_case_reader(user)
    m: Any = model
    stmt = select(m).where(m.id == record_id, m.victim_id.in_(visible_victim_ids(user)))
    if not include_deleted and hasattr(m, "deleted_at"):
        stmt = stmt.where(m.deleted_at.is_(None))
    record = session.scalar(stmt)
    if record is None:
        raise not_found()
    return record  # type: ignore[no-any-return]
