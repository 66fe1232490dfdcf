"""Benchmark databases: create, migrate (Alembic), bulk-load, analyse, drop.

SQLite: a file under a temp dir, loaded with SQLAlchemy Core executemany batches.
PostgreSQL: a database created on the test server (127.0.0.1:54329) and loaded with COPY
through psycopg; dropped afterwards (unless kept with --keep: bench/keep.py).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select, text

from app.audit.service import append_pending
from app.catalogs import Role, Team
from app.db import install_commit_hooks, make_engine, make_session_factory
from bench.synth import COLUMNS, TABLE_ORDER, Generator, Samples

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:54329"
PASSWORD = "bench-password-not-secret"  # noqa: S105 - throwaway accounts of a throwaway db
USERS = {"bench_coord": Role.coordinator, "bench_worker": Role.social_worker}


def alembic_migrate(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(Path(__file__).resolve().parent.parent / "alembic.ini"))
    cfg.attributes["configure_logging"] = False
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _never_kept(url: str) -> bool:
    return False


@contextmanager
def database(
    backend: str,
    size: int,
    tmp: Path,
    pg_server: str = PG_SERVER,
    keep_dir: Path | None = None,
    is_kept: Callable[[str], bool] = _never_kept,
) -> Iterator[str]:
    """An empty database for one run; yields its URL, removes it afterwards.

    With `keep_dir` (`--keep`) the SQLite file goes there instead of the temp dir; the
    database is left in place at the end (also on SIGTERM) only if `is_kept(url)` says so
    by then: a build cut short is removed like any other.
    """
    if keep_dir:
        keep_dir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        path = (keep_dir or tmp).resolve() / f"{'sqlite-' if keep_dir else 'bench_'}{size}.db"
        drop_sqlite(path)  # a leftover of an interrupted --keep build
        url = f"sqlite:///{path}"
        try:
            yield url
        finally:
            if not is_kept(url):
                drop_sqlite(path)
        return
    prefix = "calp_bench_keep" if keep_dir else "calp_bench"
    name = f"{prefix}_{size}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{pg_server}/{name}"
    try:
        yield url
    finally:
        admin.dispose()
        if not is_kept(url):
            drop_database(url)


def drop_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def drop_database(url: str) -> None:
    """Remove a benchmark database: the SQLite file, or the PostgreSQL database."""
    if url.startswith("sqlite"):
        drop_sqlite(Path(url.removeprefix("sqlite:///")))
        return
    server, name = url.rsplit("/", 1)
    if not name.startswith("calp_bench"):  # never anything but the bench's own
        raise ValueError(f"not a benchmark database: {name}")
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


def _sqlite_value(value: Any) -> Any:
    # The storage SQLAlchemy's SQLite types use: hex UUIDs, ISO dates, naive datetimes.
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _insert_sqlite(conn: Any, table: str, rows: list[tuple[object, ...]]) -> None:
    cols = COLUMNS[table]
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    conn.exec_driver_sql(sql, [tuple(_sqlite_value(v) for v in row) for row in rows])


def _copy_pg(cursor: Any, table: str, rows: list[tuple[object, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build(
    url: str, generator: Generator, analyze: bool = True, log: Any = print
) -> dict[str, float]:
    """Migrate, bulk-load every chunk, set the case counters, analyse; returns timings."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    engine = make_engine(url)
    alembic_migrate(engine)
    timings["migrate_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sqlite = url.startswith("sqlite")
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA cache_size=-1000000")
            conn.commit()
        for i, chunk in enumerate(generator.chunks()):
            if sqlite:
                for table in TABLE_ORDER:
                    _insert_sqlite(conn, table, chunk[table])
                conn.commit()
            else:
                raw = conn.connection.driver_connection
                with raw.cursor() as cur:
                    for table in TABLE_ORDER:
                        _copy_pg(cur, table, chunk[table])
                raw.commit()
            if i % 10 == 9:
                log(f"    loaded {sum(generator.samples.counts.values()):,} rows")
        counters = [
            {"team": t, "year": y, "last_seq": s}
            for (t, y), s in generator.samples.counters.items()
        ]
        conn.execute(
            text(
                "INSERT INTO case_counters (team, year, last_seq) VALUES (:team, :year, :last_seq)"
            ),
            counters,
        )
        conn.commit()
    timings["load_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if analyze:
        if sqlite:
            with engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        else:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
    timings["analyze_s"] = time.perf_counter() - t0
    engine.dispose()
    return timings


def create_users(url: str, fast_hash: bool = True) -> None:
    """A coordinator (statistics) and a social worker (cases, search, follow-ups), all teams.

    Those already there (a reused database) are kept: same names, same password.
    """
    from app.config import Settings
    from app.users.models import User
    from app.users.schemas import UserCreate
    from app.users.service import create_user

    settings = Settings(
        env="development",
        database_url=url,
        fast_password_hash=fast_hash,
        secret_key="x" * 43,
        data_key="x" * 43,
    )
    install_commit_hooks(append_pending)  # the users' audit events are chained
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        present = set(session.scalars(select(User.username).where(User.username.in_(list(USERS)))))
        for username, role in USERS.items():
            if username in present:
                continue
            create_user(
                session,
                UserCreate(
                    username=username,
                    full_name=username,
                    password=PASSWORD,
                    role=role,
                    teams=list(Team),
                ),
                settings=settings,
                actor=None,
            )
        session.commit()
    engine.dispose()


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in TABLE_ORDER
        }
    engine.dispose()
    return out


def bump_data_version(engine: Engine) -> None:
    """What any data write does: the statistics cache keyed on it must recompute."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE data_versions SET version = version + 1 WHERE id = 1"))


__all__ = [
    "Samples",
    "build",
    "bump_data_version",
    "create_users",
    "database",
    "drop_database",
    "row_counts",
]
