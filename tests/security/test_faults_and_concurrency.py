"""A writer killed mid-transaction loses only its own uncommitted work; concurrent clients
lose nothing; concurrent edits of one version give exactly one success."""

from __future__ import annotations

import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from app.cases.models import Case
from app.catalogs import Role
from app.db import DB_SLOTS, make_session_factory
from app.followups.models import FollowUp
from app.main import create_app
from app.users.models import User
from tests.conftest import make_settings
from tests.factories import PASSWORD, make_user
from tests.security.builders import seed

HELPER = Path(__file__).with_name("bulk_writer.py")
REPO = Path(__file__).resolve().parents[2]


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar() or 0)


def test_sigkill_in_the_middle_of_a_bulk_write_leaves_all_or_nothing(fresh_db, subprocess_env):
    url, engine = fresh_db
    env = subprocess_env(url)
    with subprocess.Popen(
        [sys.executable, str(HELPER)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "committed 50"
            for line in proc.stdout:  # wait until the open transaction holds many rows
                if int(line.split()[1]) >= 1000:
                    break
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=30) == -signal.SIGKILL
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    engine.dispose()  # a restart: nothing cached from before the crash
    assert _count(engine, Case) == 50  # the committed batch, none of the killed one
    if url.startswith("sqlite"):
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "migrate"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    with engine.begin() as conn:  # and the database takes writes again
        conn.execute(text("UPDATE cases SET status = 'follow_up' WHERE seq = 1"))
    assert _count(engine, Case) == 50


def _token(client: TestClient, username: str) -> dict[str, str]:
    resp = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def _writers_setup(fresh_db):
    """An app on a database of its own, a staff member's username, the seeded records."""
    url, engine = fresh_db
    seeded = seed(engine)
    with make_session_factory(engine)() as s:
        username = s.get_one(User, seeded.staff_id).username
    return create_app(make_settings(url)), engine, username, seeded


def _add_follow_up(client: TestClient, auth: dict[str, str], victim_id, text: str) -> int:
    return client.post(
        f"/api/v1/victims/{victim_id}/follow-ups",
        headers=auth,
        json={
            "occurred_on": "2024-05-01",
            "kind": "psychological",
            "narrative": text,
            "actions": [],
        },
    ).status_code


def test_fifty_concurrent_clients_adding_follow_ups_lose_none(fresh_db):
    app, engine, username, seeded = _writers_setup(fresh_db)
    before = _count(engine, FollowUp)
    auth = _token(TestClient(app), username)

    def add(n: int) -> int:  # a client (and event loop) per thread
        return _add_follow_up(TestClient(app), auth, seeded.open_victim_id, f"sesión {n}")

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(add, range(50)))
    assert statuses == [201] * 50
    assert _count(engine, FollowUp) == before + 50
    with make_session_factory(engine)() as s:
        rows = s.scalars(select(FollowUp).where(FollowUp.victim_id == seeded.open_victim_id))
        texts = {f.narrative for f in rows}
    assert {f"sesión {n}" for n in range(50)} <= texts


def test_more_clients_than_connections_in_one_worker_all_succeed(fresh_db):
    # One event loop, as in a served worker, and far more requests in flight than the
    # pool's connections and the thread pool's threads: requests holding a connection must
    # never wait behind threads that wait for a connection (before: pool timeouts, 500s).
    app, engine, username, seeded = _writers_setup(fresh_db)
    before = _count(engine, FollowUp)
    n = DB_SLOTS + 60
    with TestClient(app, raise_server_exceptions=False) as client:
        auth = _token(client, username)
        with ThreadPoolExecutor(max_workers=n) as pool:
            statuses = list(
                pool.map(
                    lambda k: _add_follow_up(client, auth, seeded.open_victim_id, f"n{k}"), range(n)
                )
            )
    assert statuses == [201] * n
    assert _count(engine, FollowUp) == before + n


def test_concurrent_patches_with_one_version_give_exactly_one_success(fresh_db):
    url, engine = fresh_db
    with make_session_factory(engine)() as s:
        admin, target = make_user(s, role=Role.admin), make_user(s)
        s.commit()
        admin_name, target_id = admin.username, target.id
    app = create_app(make_settings(url))
    auth = _token(TestClient(app), admin_name)
    version = TestClient(app).get(f"/api/v1/users/{target_id}", headers=auth).json()["version"]

    def patch(n: int) -> int:
        return (
            TestClient(app)
            .patch(
                f"/api/v1/users/{target_id}",
                headers=auth,
                json={"full_name": f"Nombre {n}", "version": version},
            )
            .status_code
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(patch, range(10)))
    assert sorted(statuses) == [200] + [409] * 9
    final = TestClient(app).get(f"/api/v1/users/{target_id}", headers=auth).json()
    assert final["version"] == version + 1
