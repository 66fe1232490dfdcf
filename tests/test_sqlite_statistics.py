"""SQLite's planner statistics are refreshed by the service itself (app/db/engine.py): a
table of 1000 rows or more without them, or grown 25 % past them, has them rebuilt; small
tables and tables that keep few rows (deleted ones) are left alone."""

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
    _registry(path, 1200)
    assert _counted(path) is None
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect():
        pass
    engine.dispose()
    assert _counted(path) == 1200


def test_statistics_are_rebuilt_only_when_a_table_grew_by_a_quarter(tmp_path: Path) -> None:
    path = tmp_path / "calp.db"
    _registry(path, 1200)
    conn = sqlite3.connect(path, isolation_level=None)
    assert refresh_sqlite_statistics(conn) is True
    assert refresh_sqlite_statistics(conn) is False
    _add(conn, 280)  # 1480: 1.23x
    assert refresh_sqlite_statistics(conn) is False
    assert _counted(path) == 1200
    _add(conn, 20)  # 1500: 1.25x
    assert refresh_sqlite_statistics(conn) is True
    assert _counted(path) == 1500
    busy = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.close()
    assert busy == 30_000  # the service's wait, restored after the short one of ANALYZE


def test_a_table_whose_rows_are_deleted_is_not_taken_for_grown(tmp_path: Path) -> None:
    path = tmp_path / "calp.db"
    _registry(path, 2000)
    conn = sqlite3.connect(path, isolation_level=None)
    assert refresh_sqlite_statistics(conn) is True
    conn.execute("DELETE FROM victims WHERE id <= 1900")
    _add(conn, 600)  # highest rowid 2600 (1.3x), 700 rows
    assert refresh_sqlite_statistics(conn) is False
    conn.close()


def test_a_small_registry_keeps_the_default_estimates(tmp_path: Path) -> None:
    path = tmp_path / "calp.db"
    _registry(path, 999)
    conn = sqlite3.connect(path, isolation_level=None)
    assert refresh_sqlite_statistics(conn) is False
    conn.close()
    assert _counted(path) is None
