"""The lifecycle of a versioned, audited, soft-deletable record of case work.

One implementation for cases, victims and the work hanging from them: the version check
(a stale `version` is a 409 before anything changes), partial updates that name the fields
they changed, soft deletion and restore. Every write leaves an audit event naming fields,
never values.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.cases.models import Case
from app.db import utcnow
from app.errors import Conflict, NotFound, StaleVersion
from app.scope import (
    ensure_case_reader,
    ensure_case_writer,
    ensure_restorer,
    visible_cases,
    visible_victims,
)
from app.users.models import User
from app.victims.models import Victim

T = TypeVar("T")
NOT_DELETED = "The record is not deleted."


def check_version(record: Any, version: int | None) -> None:
    """409 before anything changes when the client edited an older version of `record`.

    `None` means the client sent no version (only where the schema makes it optional).
    """
    if version is not None and version != record.version:
        raise StaleVersion()


def visible_victim_ids(user: User) -> Select[tuple[uuid.UUID]]:
    """Ids of the victims the caller may see (scope decided in app.scope)."""
    return visible_victims(user).with_only_columns(Victim.id)


def visible_case_ids(user: User) -> Select[tuple[uuid.UUID]]:
    """Ids of the cases the caller may see (scope decided in app.scope)."""
    return visible_cases(user).with_only_columns(Case.id)


def get_work_record(
    session: Session,
    user: User,
    model: type[T],
    record_id: uuid.UUID,
    *,
    not_found: type[NotFound],
    include_deleted: bool = False,
    parent: Literal["victim", "case"] = "victim",
    options: Callable[[], Sequence[ORMOption]] = tuple,
) -> T:
    """A record hanging from a victim (or case) the caller may see; 404 `not_found` otherwise.

    `options` is called, not passed built: loader options made at import time would
    configure the mappers too early.
    """
    ensure_case_reader(user)
    m: Any = model
    owner = (
        m.victim_id.in_(visible_victim_ids(user))
        if parent == "victim"
        else m.case_id.in_(visible_case_ids(user))
    )
    stmt = select(m).where(m.id == record_id, owner).options(*options())
    if not include_deleted and hasattr(m, "deleted_at"):
        stmt = stmt.where(m.deleted_at.is_(None))
    record = session.scalar(stmt)
    if record is None:
        raise not_found()
    return record  # type: ignore[no-any-return]


def record_write(
    session: Session,
    action: AuditAction,
    *,
    actor: User,
    record_type: str,
    record_id: uuid.UUID,
    fields: Iterable[str],
) -> None:
    """The audit event of a write: field names only, each once."""
    record_event(
        session,
        action,
        actor=actor,
        record_type=record_type,
        record_id=record_id,
        fields=sorted(set(fields)),
    )


def save_new(
    session: Session, record: Any, *, actor: User, record_type: str, fields: Iterable[str]
) -> None:
    """Insert a new record and audit its creation with the names of the fields given."""
    session.add(record)
    session.flush()
    record_write(
        session,
        AuditAction.create,
        actor=actor,
        record_type=record_type,
        record_id=record.id,
        fields=fields,
    )


def given_fields(values: dict[str, Any]) -> list[str]:
    """Names of the fields a creation actually filled in."""
    return [k for k, v in values.items() if v is not None]


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


def save_update(
    session: Session, record: Any, changed: Iterable[str], *, actor: User, record_type: str
) -> None:
    """Bump the version (even when nothing changed) and audit the changed field names."""
    touch(record)
    session.flush()
    record_write(
        session,
        AuditAction.update,
        actor=actor,
        record_type=record_type,
        record_id=record.id,
        fields=list(changed) or ["version"],
    )


def mark_deleted(session: Session, record: Any, *, actor: User, record_type: str) -> None:
    """Hide the record from every list and count; it stays, and can be restored."""
    record.deleted_at = utcnow()
    record.deleted_by_id = actor.id
    session.flush()
    record_event(
        session,
        AuditAction.delete,
        actor=actor,
        record_type=record_type,
        record_id=record.id,
        fields=["deleted_at"],
    )


def ensure_deleted(record: Any, error: type[Conflict] = Conflict) -> None:
    """Only a deleted record can be restored (409 otherwise)."""
    if record.deleted_at is None:
        raise error(NOT_DELETED)


def mark_restored(session: Session, record: Any, *, actor: User, record_type: str) -> None:
    """Bring a soft-deleted record back into lists and counts."""
    record.deleted_at = None
    record.deleted_by_id = None
    session.flush()
    record_event(
        session,
        AuditAction.restore,
        actor=actor,
        record_type=record_type,
        record_id=record.id,
        fields=["deleted_at"],
    )


def soft_delete(
    session: Session, record: Any, *, version: int, actor: User, record_type: str
) -> None:
    """Delete as staff may: 403 for other roles, 409 on a stale version, then hide it."""
    ensure_case_writer(actor)
    check_version(record, version)
    mark_deleted(session, record, actor=actor, record_type=record_type)


def restore_deleted(
    session: Session, record: Any, *, version: int, actor: User, record_type: str
) -> None:
    """Restore as a coordinator: 409 when the record is not deleted or the version is stale."""
    ensure_restorer(actor)
    ensure_deleted(record)
    check_version(record, version)
    mark_restored(session, record, actor=actor, record_type=record_type)
