"""A database that is locked too long or down answers 503 with Retry-After, never a 500."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

import app.db.engine
from app.db import make_session_factory
from app.main import create_app
from app.users.models import User
from tests.conftest import make_settings
from tests.dbutil import BACKEND
from tests.factories import PASSWORD, make_user
from tests.security.builders import seed

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's own write lock")


def _client_with_user(url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, dict]:
    monkeypatch.setattr(app.db.engine, "SQLITE_WAIT_S", 0.3)  # read when the engine connects
    web = create_app(make_settings(url))
    with make_session_factory(web.state.engine)() as db:
        user = make_user(db)
        db.commit()
    return _signed_in(web, user.username)


def _signed_in(web, username: str) -> tuple[TestClient, dict]:
    client = TestClient(web, raise_server_exceptions=False)
    token = client.post(
        "/api/v1/auth/token", data={"username": username, "password": PASSWORD}
    ).json()
    return client, {"Authorization": f"Bearer {token['access_token']}"}


def _assert_busy(resp) -> None:
    assert resp.status_code == 503, resp.text
    assert resp.json()["error"] == "unavailable"
    assert int(resp.headers["Retry-After"]) >= 1


@sqlite_only
def test_another_process_holding_the_write_lock_gives_503(fresh_db, monkeypatch):
    url, _ = fresh_db
    client, auth = _client_with_user(url, monkeypatch)
    other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a long `calp import` in another process
    try:
        _assert_busy(client.get("/api/v1/auth/me", headers=auth))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert client.get("/api/v1/auth/me", headers=auth).status_code == 200


@sqlite_only
def test_threads_of_this_process_queue_on_the_writer_lock_then_get_503(fresh_db, monkeypatch):
    url, _ = fresh_db
    client, auth = _client_with_user(url, monkeypatch)
    engine = client.app.state.engine
    held = engine.connect()
    held.begin()  # a request of this process in the middle of its transaction
    try:
        _assert_busy(client.get("/api/v1/auth/me", headers=auth))
    finally:
        held.close()  # back to the pool: the lock passes on at once
    results: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(client.get("/api/v1/auth/me", headers=auth).status_code)
        )
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 4


def test_a_database_that_is_down_gives_503_not_500():
    down = "postgresql+psycopg://calp:secret@127.0.0.1:1/calp"  # nothing listens on port 1
    client = TestClient(create_app(make_settings(down)), raise_server_exceptions=False)
    resp = client.post("/api/v1/auth/token", data={"username": "ana", "password": "x" * 12})
    _assert_busy(resp)
    assert "secret" not in resp.text


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's row locks")
def test_a_stuck_transaction_holding_the_writers_row_gives_503_not_a_hang(fresh_db, monkeypatch):
    url, engine = fresh_db
    monkeypatch.setattr(app.db.engine, "PG_LOCK_TIMEOUT_S", 0.3)  # read when the engine connects
    seeded = seed(engine)
    web = create_app(make_settings(url))
    with make_session_factory(engine)() as s:
        username = s.get_one(User, seeded.staff_id).username
    client, auth = _signed_in(web, username)
    body = {"occurred_on": "2024-05-01", "kind": "social", "narrative": "n", "actions": []}
    path = f"/api/v1/victims/{seeded.open_victim_id}/follow-ups"
    stuck = engine.connect()
    stuck.execute(text("UPDATE data_versions SET version = version WHERE id = 1"))  # row lock
    try:
        _assert_busy(client.post(path, headers=auth, json=body))
    finally:
        stuck.rollback()
        stuck.close()
    assert client.post(path, headers=auth, json=body).status_code == 201
