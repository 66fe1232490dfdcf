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
# database and then every STATS_EVERY_S, whether a table has grown by STATS_GROWTH since
# the last ANALYZE (or has STATS_MIN_ROWS and none), and runs it then. Smaller tables are
# left to SQLite's default estimates, which suit them. A sampled ANALYZE (analysis_limit)
# would cost milliseconds but estimates a team at 10,001 cases where 1M has 138,877; the
# full one takes ~0.2 s at 10k and ~19 s at 1M, once per 25 % of growth.
STATS_EVERY_S = 3600.0
STATS_GROWTH = 1.25
STATS_MIN_ROWS = 1000


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
    """ANALYZE when a table's statistics are missing or it has grown by STATS_GROWTH
    since; True when it ran."""
    cur = dbapi_conn.cursor()
    try:
        if not _stale_tables(cur):
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


def _stale_tables(cur: Any) -> list[str]:
    """Tables of STATS_MIN_ROWS or more whose row count is STATS_GROWTH past the one their
    statistics hold. The highest rowid (one index probe) says a table may have grown, and
    a count confirms it (a table whose rows are deleted, such as the submission tokens,
    keeps a high rowid and few rows); tables without rowid grow with those that have one."""
    counted: dict[str, int] = {}
    if cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        # The first number of an index's statistics is its row count; a partial index
        # holds fewer rows than the table, so the largest is the table's.
        for table, stat in cur.execute("SELECT tbl, stat FROM sqlite_stat1").fetchall():
            if stat:
                counted[table] = max(counted.get(table, 0), int(stat.split()[0]))
    names = cur.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    stale = []
    for (name,) in names:
        then = counted.get(name, 0)
        try:
            top = cur.execute(f'SELECT max(rowid) FROM "{name}"').fetchone()[0] or 0
        except sqlite3.OperationalError:  # WITHOUT ROWID
            continue
        if top < max(STATS_MIN_ROWS, then * STATS_GROWTH):
            continue
        rows = cur.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        if rows >= max(STATS_MIN_ROWS, then * STATS_GROWTH):
            stale.append(name)
    return stale
