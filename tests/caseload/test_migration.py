"""Revision a2e9d3c5b804 carries the old bare (case, user) pairs of `case_staff` over as
current assignments since the case's opening: one lead per case, the others by role."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import text

from app.db import make_engine
from tests import dbutil

BEFORE, AFTER = "f2c9a3e5d704", "a2e9d3c5b804"


def _user(conn, role: str) -> uuid.UUID:
    user_id = uuid.uuid4()
    now = datetime.now(UTC)
    conn.execute(
        text(
            "INSERT INTO users (id, username, full_name, password_hash, role, active,"
            " token_generation, otp_enrolled, version, created_at, updated_at)"
            " VALUES (:id, :u, '', 'x', :role, true, 0, false, 1, :now, :now)"
        ),
        {
            "id": user_id.hex if conn.dialect.name == "sqlite" else user_id,
            "u": f"u{user_id.hex[:8]}",
            "role": role,
            "now": now,
        },
    )
    return user_id


def test_old_pairs_become_current_assignments_and_back():
    with dbutil.empty_database("mig_caseload") as url:
        engine = make_engine(url)
        cfg = dbutil.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, BEFORE)
        sqlite = engine.dialect.name == "sqlite"

        def key(value: uuid.UUID) -> object:
            return value.hex if sqlite else value

        with engine.begin() as conn:
            psi, lawyer = _user(conn, "psychologist"), _user(conn, "lawyer")
            case_id = uuid.uuid4()
            now = datetime.now(UTC)
            conn.execute(
                text(
                    "INSERT INTO cases (id, code, team, year, seq, opened_on, status, version,"
                    " created_at, updated_at) VALUES (:id, 'LIM-2024-0001', 'lima', 2024, 1, :on,"
                    " 'open', 1, :now, :now)"
                ),
                {"id": key(case_id), "on": date(2024, 3, 1), "now": now},
            )
            for user_id in (psi, lawyer):
                conn.execute(
                    text("INSERT INTO case_staff (case_id, user_id) VALUES (:c, :u)"),
                    {"c": key(case_id), "u": key(user_id)},
                )
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, AFTER)
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT user_id, responsibility, since, until FROM case_staff")
            ).all()
        got = sorted((str(r[1]), str(r[2])[:10], r[3]) for r in rows)
        assert [g[1] for g in got] == ["2024-03-01", "2024-03-01"]
        assert [g[2] for g in got] == [None, None]
        responsibilities = sorted(g[0] for g in got)
        assert responsibilities.count("lead") == 1
        assert set(responsibilities) <= {"lead", "psychological", "legal"}
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, BEFORE)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM case_staff")).scalar() == 2
        engine.dispose()
