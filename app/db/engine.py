"""Engines tuned for a service: SQLite (WAL, foreign keys, one writer queue) and PostgreSQL
(lock timeout), with the pool sizes every worker uses."""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event

from app.errors import Unavailable

# How long a statement waits for a lock before giving up (SQLite: its busy timeout).
# Without it on PostgreSQL, one stuck transaction holding the data version's row would
# hold every writer of every worker forever; with it they answer 503 and can retry.
SQLITE_WAIT_S = 30
PG_LOCK_TIMEOUT_S = 30.0

# Connections per worker process. A request holds its connection across thread-pool hops,
# so requests beyond this many would each park a pool thread waiting for a connection that
# only a request queued behind them can free: `get_session` admits at most DB_SLOTS at once
# and the rest wait in the event loop, holding nothing.
POOL_SIZE = 5
POOL_OVERFLOW = 10
DB_SLOTS = POOL_SIZE + POOL_OVERFLOW
_HOLDS_WRITER = "calp_holds_sqlite_writer"
# SQLite plans joins from the statistics ANALYZE leaves, and nothing runs it by itself
# (PostgreSQL has autovacuum): without them, at 1M victims an agenda page starts from every
# case of a team (9.5 s instead of 8 ms). Each process looks, when it first uses the
# database and then every STATS_EVERY_S, whether the registry has grown or shrunk by
# STATS_GROWTH since the last ANALYZE, and runs it then. A sampled ANALYZE (analysis_limit)
# would cost milliseconds but estimates a team at 10,001 cases where 1M has 138,877;
# the full one takes ~0.2 s at 10k and ~19 s at 1M, once per 25 % of growth.
STATS_EVERY_S = 3600.0
STATS_GROWTH = 1.25


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


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {int(PG_LOCK_TIMEOUT_S * 1000)}")
        dbapi_conn.commit()  # a SET in a transaction that rolls back would be undone


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
    stats_due = [0.0]  # monotonic time of the next refresh of the planner's statistics

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        now = time.monotonic()
        # Outside any transaction (a connection is checked out idle); skipped while another
        # thread of this process writes, and tried again at a later checkout.
        if now < stats_due[0] or not writer.acquire(blocking=False):
            return
        try:
            refresh_sqlite_statistics(dbapi_conn)
            stats_due[0] = now + STATS_EVERY_S
        except sqlite3.OperationalError:  # another process holds the write lock: later
            pass
        finally:
            writer.release()

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


def refresh_sqlite_statistics(dbapi_conn: Any) -> bool:
    """ANALYZE when the planner's statistics are missing or the registry has changed size
    by STATS_GROWTH since; True when it ran. The size is the victims' highest rowid (as
    good as a count where records are deleted softly, and one index probe)."""
    cur = dbapi_conn.cursor()
    try:
        now = cur.execute("SELECT max(rowid) FROM victims").fetchone()[0] or 0
        if now == 0:
            return False
        have = cur.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).fetchone()
        # The first number of an index's statistics is its row count; a partial index
        # holds fewer rows than the table, so the largest is the table's.
        stats = cur.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'victims'") if have else []
        then = max((int(stat.split()[0]) for (stat,) in stats if stat), default=0)
        if then and 1 / STATS_GROWTH < now / then < STATS_GROWTH:
            return False
        # A request is waiting on this connection: give up soon if another process writes.
        cur.execute("PRAGMA busy_timeout=200")
        try:
            cur.execute("ANALYZE")
        finally:
            cur.execute(f"PRAGMA busy_timeout={int(SQLITE_WAIT_S * 1000)}")
        return True
    finally:
        cur.close()
