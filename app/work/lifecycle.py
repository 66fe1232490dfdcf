"""The lifecycle of a versioned, audited record of case work, in parts.

What a record must be (the Protocols below, instead of `Any`), the version check (a stale
`version` is a 409 before anything changes), partial updates that name the fields they
changed, and the audit event of every write (field names, never values). The kinds of
app.work.kinds put these together once per model.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, declared_attr

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.cases.models import Case
from app.db import utcnow
from app.errors import StaleVersion
from app.scope import visible_cases, visible_victims
from app.users.models import User
from app.victims.models import Victim


class Record(Protocol):
    """Any audited record of case work: its id names it in the audit log."""

    id: uuid.UUID

    def __init__(self, **values: Any) -> None: ...


class Versioned(Record, Protocol):
    """A record edited under optimistic locking (`version` moves on every UPDATE)."""

    version: int
    updated_at: datetime


class SoftDeletable(Versioned, Protocol):
    """A versioned record whose deletion hides it until a coordinator restores it."""

    deleted_at: datetime | None

    # Spelled as in SoftDeleteMixin (a foreign key on a mixin is a declared_attr): a plain
    # annotation would not match the models' read-and-write descriptor.
    @declared_attr
    def deleted_by_id(cls) -> Mapped[uuid.UUID | None]: ...


class Edit(Protocol):
    """The body of a partial update: the version the caller saw, and the fields it sends."""

    @property
    def version(self) -> int | None: ...

    def model_dump(
        self, *, exclude_unset: bool = ..., exclude: set[str] | None = ...
    ) -> dict[str, Any]: ...


def column(model: type[object], name: str) -> InstrumentedAttribute[Any]:
    """The mapped attribute `name` of `model`, to build a query (the Protocols above
    describe instances: on the class the same names are SQL expressions)."""
    attr: InstrumentedAttribute[Any] = getattr(model, name)
    return attr


def check_version(record: Versioned, version: int | None) -> None:
    """409 before anything changes when the client edited an older version of `record`.

    `None` means the client sent no version (only where the schema makes it optional).
    """
    if version is not None and version != record.version:
        raise StaleVersion()


def visible_victim_ids(user: User) -> Select[uuid.UUID]:
    """Ids of the victims the caller may see (scope decided in app.scope)."""
    return visible_victims(user).with_only_columns(Victim.id)


def visible_case_ids(user: User) -> Select[uuid.UUID]:
    """Ids of the cases the caller may see (scope decided in app.scope)."""
    return visible_cases(user).with_only_columns(Case.id)


def record_write(
    session: Session,
    action: AuditAction,
    record: Record,
    *,
    actor: User,
    record_type: str,
    fields: Iterable[str],
    detail: str | None = None,
) -> None:
    """The audit event of an action on `record`: field names only, each once."""
    record_event(
        session,
        action,
        actor=actor,
        fields=sorted(set(fields)),
        record_type=record_type,
        record_id=record.id,
        detail=detail,
    )


def save_new(
    session: Session, record: Record, *, actor: User, record_type: str, fields: Iterable[str]
) -> None:
    """Insert a new record and audit its creation with the names of the fields given."""
    session.add(record)
    session.flush()
    record_write(
        session, AuditAction.create, record, actor=actor, record_type=record_type, fields=fields
    )


def given_fields(values: dict[str, Any]) -> list[str]:
    """Names of the fields a creation actually filled in."""
    return [k for k, v in values.items() if v is not None]


def apply_changes(record: object, changes: dict[str, Any]) -> list[str]:
    """Set the given attributes; return the names of those whose value changed."""
    changed = []
    for name, value in changes.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed


def touch(record: Versioned) -> None:
    """Mark the row dirty so its version moves even when only child rows changed."""
    record.updated_at = utcnow()
