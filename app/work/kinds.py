"""One typed descriptor per kind of record of case work, bound to its model.

Each domain declares its kind once (`REFERRALS = DeletableKind(Referral, "referral",
ReferralNotFound)`) and calls its methods: finding a record for the caller (scope decided
by the queries of app.scope: 403 for a role outside case work, 404 outside the caller's
teams), creating and editing it under the version check, soft deletion and restore, its
history. The JSON routers turn the finders into `Annotated` dependencies (app.work.api);
the pages call them directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from app.audit.history import record_history
from app.audit.models import AuditAction
from app.audit.schemas import HistoryEntry
from app.cases.models import Case
from app.db import utcnow
from app.errors import NotFound
from app.scope import ensure_case_reader, ensure_case_writer, ensure_restorer
from app.users.models import User
from app.victims.models import Victim
from app.work.checks import Problems, case_opened_on
from app.work.errors import NotDeleted
from app.work.lifecycle import (
    Edit,
    SoftDeletable,
    Versioned,
    apply_changes,
    check_version,
    column,
    given_fields,
    record_write,
    save_new,
    touch,
    visible_case_ids,
    visible_victim_ids,
)
from app.work.pages import dated_page

V = TypeVar("V", bound=Versioned)
S = TypeVar("S", bound=SoftDeletable)
M_co = TypeVar("M_co", covariant=True)
R = TypeVar("R")


class Scope(Protocol[M_co]):
    """A query of app.scope: the records of this model the caller may see."""

    def __call__(self, user: User, *, include_deleted: bool = ...) -> Select[M_co]: ...


@dataclass(frozen=True)
class Check(Generic[R]):
    """What a kind's `check` sees: where to add problems, the values a request sends (all
    of a new record's), the record an update edits (None for a new one), and the opening
    date of its case, read only when asked. `check["field"]` is the value as it will be."""

    problems: Problems
    sent: dict[str, Any]
    record: R | None
    opened_on: Callable[[], date]

    def __getitem__(self, name: str) -> Any:
        if name in self.sent or self.record is None:
            return self.sent.get(name)
        return getattr(self.record, name)

    def touches(self, names: AbstractSet[str]) -> bool:
        """A new record, or an update sending one of `names` (stored values were checked
        when they were written)."""
        return self.record is None or not self.sent.keys().isdisjoint(names)


@dataclass(frozen=True, eq=False)
class WorkKind(Generic[V]):
    """A kind of versioned record of case work.

    `parent` names the live record it hangs from (its victim, or its case; a case hangs
    from none): the record is visible when its parent is. A case or a victim passes its own
    query of app.scope as `scope` instead. `options` is called, not passed built: loader
    options made at import time would configure the mappers too early.

    `check` is the domain's rules for what a create or an update sends: it adds problems,
    and one 422 then names all of them. `dated_by` orders the parent's list, newest first
    (keyset pages).
    """

    model: type[V]
    record_type: str
    not_found: type[NotFound]
    parent: Literal["victim", "case"] | None = "victim"
    dated_by: str = "created_at"
    check: Callable[[Check[V]], None] | None = None
    options: Callable[[], Sequence[ORMOption]] = tuple
    scope: Scope[V] | None = None
    status_changes: bool = False  # its history lists status transitions too (cases)

    def __post_init__(self) -> None:
        if self.parent is None and self.scope is None:
            raise ValueError("a kind without a parent needs its own scope")

    def _of_live_parent(self, user: User) -> Select[V]:
        ids = visible_victim_ids(user) if self.parent == "victim" else visible_case_ids(user)
        return select(self.model).where(column(self.model, f"{self.parent}_id").in_(ids))

    def _scoped(self, user: User, *, include_deleted: bool) -> Select[V]:
        if self.scope is not None:
            return self.scope(user, include_deleted=include_deleted)
        return self._of_live_parent(user)

    def visible(
        self, session: Session, user: User, record_id: uuid.UUID, *, include_deleted: bool = False
    ) -> V:
        """The record if the caller may see it: 403 outside case work, 404 `not_found`
        outside the caller's teams (and, unless `include_deleted`, once deleted)."""
        ensure_case_reader(user)
        stmt = self._scoped(user, include_deleted=include_deleted)
        stmt = stmt.where(column(self.model, "id") == record_id).options(*self.options())
        record = session.scalar(stmt)
        if record is None:
            raise self.not_found()
        return record

    def writable(self, session: Session, user: User, record_id: uuid.UUID) -> V:
        """The record, for a change: 403 for roles that never write, else as `visible`."""
        ensure_case_writer(user)
        return self.visible(session, user, record_id)

    def create(self, session: Session, parent: Victim | Case, data: BaseModel, *, actor: User) -> V:
        """A new record of `parent` made of `data`, its author the actor: 403 for roles
        that never write, then every problem `check` finds in one 422; the creation is
        audited with the names of the fields given."""
        ensure_case_writer(actor)
        values = data.model_dump()

        def opened_on() -> date:
            return parent.opened_on if isinstance(parent, Case) else case_opened_on(session, parent)

        self._check(Check(Problems(), values, None, opened_on))
        owner = {f"{self.parent}_id": parent.id}
        record = self.model(**owner, created_by_id=actor.id, **values)
        return self.save_new(session, record, actor=actor, fields=given_fields(values))

    def update(self, session: Session, record: V, data: Edit, *, actor: User) -> V:
        """A partial update: 403 for roles that never write, 409 on a stale version, then
        every problem `check` finds in one 422; the changed fields are set, the version
        moves and the change is audited."""
        ensure_case_writer(actor)
        check_version(record, data.version)
        sent = data.model_dump(exclude_unset=True, exclude={"version"})
        self._check(Check(Problems(), sent, record, lambda: self._opened_on(session, record)))
        return self.save_update(session, record, apply_changes(record, sent), actor=actor)

    def _check(self, check: Check[V]) -> None:
        if self.check is not None:
            self.check(check)
        check.problems.raise_if_any()

    def _opened_on(self, session: Session, record: V) -> date:
        # One column, not the entities: loading a case decrypts its free text too.
        owner_id: uuid.UUID = getattr(record, f"{self.parent}_id")
        stmt = select(Case.opened_on)
        if self.parent == "victim":
            stmt = stmt.join(Victim, Victim.case_id == Case.id).where(Victim.id == owner_id)
        else:
            stmt = stmt.where(Case.id == owner_id)
        opened_on: date = session.execute(stmt).scalar_one()
        return opened_on

    def of(self, parent: Victim | Case) -> Select[V]:
        """The records of `parent` (a victim, or a case) that its lists show."""
        return select(self.model).where(column(self.model, f"{self.parent}_id") == parent.id)

    def page(
        self,
        session: Session,
        parent: Victim | Case,
        *where: ColumnElement[bool],
        limit: int,
        cursor: str | None = None,
    ) -> tuple[list[V], str | None]:
        """A keyset page of the parent's list (optionally narrowed by `where`), newest
        `dated_by` first."""
        stmt = self.of(parent).where(*where).options(*self.options())
        return dated_page(session, stmt, self.model, self.dated_by, limit=limit, cursor=cursor)

    def save_new(self, session: Session, record: V, *, actor: User, fields: Iterable[str]) -> V:
        """Insert a new record and audit its creation with the names of the fields given."""
        save_new(session, record, actor=actor, record_type=self.record_type, fields=fields)
        return record

    def save_update(self, session: Session, record: V, changed: Iterable[str], *, actor: User) -> V:
        """Bump the version (even when nothing changed) and audit the changed field names."""
        touch(record)
        session.flush()
        self.audit(
            session, AuditAction.update, record, actor=actor, fields=list(changed) or ["version"]
        )
        return record

    def audit(
        self,
        session: Session,
        action: AuditAction,
        record: V,
        *,
        actor: User,
        fields: Iterable[str],
        detail: str | None = None,
    ) -> None:
        """The audit event of an action on one of these records (field names only)."""
        record_write(
            session,
            action,
            record,
            actor=actor,
            record_type=self.record_type,
            fields=fields,
            detail=detail,
        )

    def history(
        self,
        session: Session,
        user: User,
        record_id: uuid.UUID,
        *,
        limit: int,
        cursor: str | None = None,
    ) -> tuple[list[HistoryEntry], str | None]:
        """Who changed which fields of a visible record and when (values never shown)."""
        record = self.visible(session, user, record_id)
        return record_history(
            session,
            self.record_type,
            record.id,
            limit=limit,
            cursor=cursor,
            with_status_changes=self.status_changes,
        )


@dataclass(frozen=True, eq=False)
class DeletableKind(WorkKind[S]):
    """A kind of record that staff soft-delete and coordinators restore.

    `restore_check` is the kind's own refusal of a restore, if it has one (a victim whose
    case is deleted waits for the case).
    """

    restore_check: Callable[[Session, S], None] | None = None

    def _scoped(self, user: User, *, include_deleted: bool) -> Select[S]:
        stmt = super()._scoped(user, include_deleted=include_deleted)
        if include_deleted or self.scope is not None:
            return stmt  # the queries of app.scope filter deletion themselves
        return stmt.where(column(self.model, "deleted_at").is_(None))

    def of(self, parent: Victim | Case) -> Select[S]:
        """The parent's records that are not deleted: those its lists show."""
        return super().of(parent).where(column(self.model, "deleted_at").is_(None))

    def deleted(self, user: User) -> Select[S]:
        """The deleted records of the caller's teams whose parent is live, the latest
        deleted first: those a coordinator may restore now (a deleted victim's records
        wait for the victim)."""
        if self.parent is None:
            stmt = self._scoped(user, include_deleted=True)
        else:
            stmt = self._of_live_parent(user)
        deleted_at = column(self.model, "deleted_at")
        return stmt.where(deleted_at.is_not(None)).order_by(deleted_at.desc())

    def restorable(self, session: Session, user: User, record_id: uuid.UUID) -> S:
        """A deleted (or live) record of the caller's teams, for a coordinator's restore."""
        ensure_restorer(user)
        return self.visible(session, user, record_id, include_deleted=True)

    def delete(self, session: Session, record: S, *, version: int, actor: User) -> None:
        """Delete as staff may: 403 for other roles, 409 on a stale version, then hide it
        from every list and count (it stays, and can be restored)."""
        ensure_case_writer(actor)
        check_version(record, version)
        self._mark(session, record, actor, deleted=True)

    def restore(self, session: Session, record: S, *, version: int, actor: User) -> S:
        """Restore as a coordinator: 409 when the version is stale, the record is not
        deleted or the kind refuses; then it is back in lists and counts."""
        ensure_restorer(actor)
        check_version(record, version)
        if record.deleted_at is None:
            raise NotDeleted()
        if self.restore_check is not None:
            self.restore_check(session, record)
        self._mark(session, record, actor, deleted=False)
        return record

    def _mark(self, session: Session, record: S, actor: User, *, deleted: bool) -> None:
        record.deleted_at = utcnow() if deleted else None
        record.deleted_by_id = actor.id if deleted else None
        session.flush()
        action = AuditAction.delete if deleted else AuditAction.restore
        self.audit(session, action, record, actor=actor, fields=["deleted_at"])
