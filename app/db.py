"""Database plumbing: Base and mixins, column types, engine, the request session.

Every write transaction bumps `data_versions.version` (audit and sign-in bookkeeping
excepted), so caches of computed statistics can be keyed on it across workers.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
import weakref
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    Engine,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.types import TypeDecorator

from app.crypto import get_keyring
from app.errors import Unavailable

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(UTC).date()


def str_enum(enum: type[StrEnum], name: str) -> Enum:
    """VARCHAR + CHECK holding the enum's codes; round-trips the enum member."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum) + 8,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class EncryptedText(TypeDecorator[str]):
    """Text encrypted in the application (AES-GCM) before it reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else get_keyring().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else get_keyring().decrypt(value)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware timestamps on every database: stored as UTC, read back as UTC.

    SQLite keeps no offset, so values would come back naive (and break the API's
    date-time format); PostgreSQL converts to the session's time zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day, tzinfo=UTC)
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UUIDPk:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: every UPDATE checks and bumps `version` (StaleDataError -> 409)."""

    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


class SoftDeleteMixin:
    """Deleted rows stay; every list and count filters `deleted_at IS NULL`."""

    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def deleted_by_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(ForeignKey("users.id"))


# Session.info flag: take the serialising locks (data version row, audit chain) at COMMIT.
DEFER_LOCKS = "defer_locks"


class NotData:
    """Marker: writes of these rows (audit, sign-in bookkeeping) leave the data version alone."""


class DataVersion(Base, NotData):
    """One row: a counter every data write bumps, the key of the statistics cache."""

    __tablename__ = "data_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


BUMP_DATA_VERSION = "UPDATE data_versions SET version = version + 1 WHERE id = 1"


def current_data_version(session: Session) -> int:
    return int(session.scalar(text("SELECT version FROM data_versions WHERE id = 1")) or 0)


@event.listens_for(Session, "before_flush")
def _mark_data_write(session: Session, flush_context: Any, instances: Any) -> None:
    if session.info.get("data_version_bumped"):
        return
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(not isinstance(obj, NotData) for obj in changed):
        note_data_write(session)


def note_data_write(session: Session) -> None:
    """This transaction changes data: bump the data version (the statistics cache's key) once.

    Called by the flush hook, and by code writing through Core, which skips that hook.
    Request sessions (DEFER_LOCKS) only note it; the UPDATE runs just before COMMIT (below),
    so the row lock on data_versions, which every writer needs, is held for the commit, not
    for the rest of the request. Other sessions may be committed by an outer connection, so
    they bump at once.
    """
    if session.info.get("data_version_bumped"):
        return
    session.info["data_version_bumped"] = True
    if not session.info.get(DEFER_LOCKS):
        session.execute(text(BUMP_DATA_VERSION))
        session.info["data_version_done"] = True


@event.listens_for(Session, "before_commit")
def _bump_data_version(session: Session) -> None:
    if not session.info.get(DEFER_LOCKS):
        return
    session.flush()  # objects added since the last flush are data writes too
    from app.audit.service import append_pending  # the chain, under its lock, last

    bump = bool(
        session.info.get("data_version_bumped") and not session.info.get("data_version_done")
    )
    append_pending(session, bump_data_version=bump)
    if bump:
        session.info["data_version_done"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _reset_bump(session: Session, *args: Any) -> None:
    session.info.pop("data_version_bumped", None)
    session.info.pop("data_version_done", None)
    session.info.pop("audit_pending", None)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Engine with SQLite made safe for a service: WAL, foreign keys, immediate writes."""
    if url.startswith("sqlite"):
        # (an in-memory database has a single-connection pool, which takes no sizes)
        in_memory = url.removeprefix("sqlite://").strip("/") in ("", ":memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_WAIT_S},
            **{**({} if in_memory else _pool_sizes()), **kwargs},
        )
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=True, **{**_pool_sizes(), **kwargs})
    if engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


def _pool_sizes() -> dict[str, int]:
    return {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}


# How long a statement waits for a lock before giving up (SQLite: its busy timeout).
# Without it on PostgreSQL, one stuck transaction holding the data version's row would
# hold every writer of every worker forever; with it they answer 503 and can retry.
SQLITE_WAIT_S = 30
PG_LOCK_TIMEOUT_S = 30.0


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {int(PG_LOCK_TIMEOUT_S * 1000)}")
        dbapi_conn.commit()  # a SET in a transaction that rolls back would be undone


# Connections per worker process. A request holds its connection across thread-pool hops,
# so requests beyond this many would each park a pool thread waiting for a connection that
# only a request queued behind them can free: `get_session` admits at most DB_SLOTS at once
# and the rest wait in the event loop, holding nothing.
POOL_SIZE = 5
POOL_OVERFLOW = 10
DB_SLOTS = POOL_SIZE + POOL_OVERFLOW
_HOLDS_WRITER = "calp_holds_sqlite_writer"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINTs; we issue BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(SQLITE_WAIT_S * 1000)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    # SQLite lets one transaction write at a time, and threads of this process that wait
    # for it poll with sleeps of up to 100 ms (busy_timeout): under load the database sits
    # idle between polls. Threads of one process queue on this lock instead and start the
    # moment the holder's connection goes back to the pool; other processes still wait
    # through busy_timeout.
    writer = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        record = conn.connection._connection_record
        if record is not None and not record.info.get(_HOLDS_WRITER):
            if not writer.acquire(timeout=SQLITE_WAIT_S):
                raise Unavailable()  # this worker's writers held it too long
            record.info[_HOLDS_WRITER] = True
        # IMMEDIATE takes the write lock up front: a transaction that reads, then writes
        # (most requests write an audit event) can never fail on a stale WAL snapshot.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "checkin")
    @event.listens_for(engine, "invalidate")
    def _on_release(dbapi_conn: Any, record: Any, *args: Any) -> None:
        if record is not None and record.info.pop(_HOLDS_WRITER, False):
            writer.release()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request: commits on success, rolls back on error.

    `async` because opening a session does no I/O (it connects on first use, in the
    endpoint's thread): a sync dependency would cost a thread-pool hop on the way in.
    The way out (COMMIT or ROLLBACK, then close) is one hop, shielded from cancellation so
    a client that hangs up can never leave a transaction (on SQLite: the write lock) open.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    async with _db_slots(request):
        session = factory()
        session.info["client"] = request.client.host if request.client else None
        session.info[DEFER_LOCKS] = True
        ok = False
        try:
            yield session
            ok = True
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_finish, session, ok)


_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _db_slots(request: Request) -> asyncio.Semaphore:
    # One semaphore per event loop (a served worker has one; tests start several).
    loop = asyncio.get_running_loop()
    slots = _SLOTS.get(loop)
    if slots is None:
        slots = _SLOTS[loop] = asyncio.Semaphore(DB_SLOTS)
    return slots


def _finish(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
