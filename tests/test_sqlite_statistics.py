"""SQLite's planner statistics are refreshed by the service itself (app/db/engine.py):
missing, or 25 % off the registry's size, they are rebuilt; otherwise left alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.db.engine import make_engine, refresh_sqlite_statistics
from tests import dbutil

pytestmark = pytest.mark.skipif(dbutil.BACKEND != "sqlite", reason="SQLite's statistics")


def _registry(path: Path, victims: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE victims (id INTEGER PRIMARY KEY, case_id INTEGER)")
        conn.execute("CREATE INDEX ix_victims_case_id ON victims (case_id)")
        conn.execute("CREATE INDEX ix_some_victims ON victims (case_id) WHERE case_id < 3")
        _add(conn, victims)


def _add(conn: sqlite3.Connection, n: int) -> None:
    conn.executemany("INSERT INTO victims (case_id) VALUES (?)", [(i % 7,) for i in range(n)])
    conn.commit()


def _counted(path: Path) -> int | None:
    with sqlite3.connect(path) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return None
        rows = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'victims'").fetchall()
        return max(int(stat.split()[0]) for (stat,) in rows)


def test_first_use_of_the_database_analyses_it(tmp_path: Path) -> None:
    path = tmp_path / "calp.db"
    _registry(path, 400)
    assert _counted(path) is None
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect():
        pass
    engine.dispose()
    assert _counted(path) == 400


def test_statistics_are_rebuilt_only_when_the_size_moved_by_a_quarter(tmp_path: Path) -> None:
    path = tmp_path / "calp.db"
    _registry(path, 400)
    conn = sqlite3.connect(path, isolation_level=None)
    assert refresh_sqlite_statistics(conn) is True
    assert refresh_sqlite_statistics(conn) is False
    _add(conn, 80)  # 480: 1.2x
    assert refresh_sqlite_statistics(conn) is False
    assert _counted(path) == 400
    _add(conn, 30)  # 510: 1.275x
    assert refresh_sqlite_statistics(conn) is True
    assert _counted(path) == 510
    busy = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.close()
    assert busy == 30_000  # the service's wait, restored after the short one of ANALYZE


def test_an_empty_registry_is_not_analysed(tmp_path: Path) -> None:
    path = tmp_path / "calp.db"
    _registry(path, 0)
    conn = sqlite3.connect(path, isolation_level=None)
    assert refresh_sqlite_statistics(conn) is False
    conn.close()
    assert _counted(path) is None
