"""Test databases: a migrated SQLite file or a throwaway PostgreSQL database.

The test command sets CALP_TEST_DB=postgresql and CALP_TEST_PG_SERVER (a server URL
without a database) for the PostgreSQL pass; otherwise tests use SQLite files.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text

from app.db import make_engine

REPO_ROOT = Path(__file__).resolve().parent.parent
BACKEND = os.environ.get("CALP_TEST_DB", "sqlite")
PG_SERVER = os.environ.get("CALP_TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:54329")
_TMP = Path(tempfile.mkdtemp(prefix="calp-test-"))


def alembic_config() -> Config:
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.attributes["configure_logging"] = False
    return cfg


def migrate(engine: Engine) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _admin_engine() -> Engine:
    return create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


@contextmanager
def empty_database(name_hint: str = "db") -> Iterator[str]:
    """A new, empty database (no schema); yields its URL and drops it afterwards."""
    if BACKEND == "postgresql":
        name = f"calp_test_{name_hint}_{uuid.uuid4().hex[:10]}"
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield f"{PG_SERVER}/{name}"
        finally:
            with admin.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                    ),
                    {"n": name},
                )
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()
    else:
        path = _TMP / f"{name_hint}_{uuid.uuid4().hex[:10]}.db"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def migrated_database(name_hint: str = "db") -> Iterator[tuple[str, Engine]]:
    """A new database built by the migrations; yields (url, engine)."""
    with empty_database(name_hint) as url:
        engine = make_engine(url)
        try:
            migrate(engine)
            yield url, engine
        finally:
            engine.dispose()
