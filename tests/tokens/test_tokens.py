"""Visualiser tokens: hashed at rest, admin-only management, usable only on the routes."""

from __future__ import annotations

import subprocess
import sys
import uuid

from sqlalchemy import select, text

from app.catalogs import Role
from app.deps import API_TOKEN_PREFIX, hash_api_token
from app.tokens.models import ApiToken
from tests.factories import make_user


def _create(client, name: str = "Visualizador web") -> dict:
    resp = client.post("/api/v1/tokens", json={"name": name, "role": "visualiser"})
    assert resp.status_code == 201, resp.text
    return resp.json()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class TestCreateToken:
    def test_admin_gets_token_once_and_only_its_hash_is_stored(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        created = _create(client)
        raw = created["token"]
        assert raw.startswith(API_TOKEN_PREFIX) and len(raw) > len(API_TOKEN_PREFIX) + 30
        row = db.get(ApiToken, uuid.UUID(created["id"]))
        assert row is not None and row.token_hash == hash_api_token(raw)
        stored = (
            db.execute(
                text("SELECT * FROM api_tokens WHERE token_hash = :h"), {"h": row.token_hash}
            )
            .mappings()
            .one()
        )
        assert all(raw not in str(value) for value in stored.values())

    def test_two_tokens_differ(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        assert _create(client, "a")["token"] != _create(client, "b")["token"]

    def test_other_roles_may_not_create(self, db, login_as):
        client = login_as(make_user(db, role=Role.coordinator))
        resp = client.post("/api/v1/tokens", json={"name": "x", "role": "visualiser"})
        assert resp.status_code == 403
        assert db.scalar(select(ApiToken).where(ApiToken.name == "x")) is None

    def test_only_visualiser_role_and_known_fields(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        for body in (
            {"name": "x", "role": "admin"},
            {"name": "", "role": "visualiser"},
            {"name": "x", "role": "visualiser", "extra": 1},
        ):
            resp = client.post("/api/v1/tokens", json=body)
            assert resp.status_code == 422, body
            assert resp.json()["error"] == "validation_error"


class TestListAndRevoke:
    def test_list_never_shows_token_or_hash(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        created = _create(client)
        resp = client.get("/api/v1/tokens")
        assert resp.status_code == 200
        body = resp.text
        row = db.get(ApiToken, uuid.UUID(created["id"]))
        assert created["token"] not in body and row.token_hash not in body
        assert created["id"] in {item["id"] for item in resp.json()["items"]}

    def test_list_pages_with_cursor(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        ids = {_create(client, f"t{i}")["id"] for i in range(3)}
        seen: list[str] = []
        cursor = None
        for _ in range(10):
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = client.get("/api/v1/tokens", params=params).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert ids <= set(seen) and len(seen) == len(set(seen))
        assert client.get("/api/v1/tokens", params={"cursor": "nonsense"}).status_code == 422

    def test_revoked_token_is_refused_with_401(self, db, login_as, client):
        admin = login_as(make_user(db, role=Role.admin))
        created = _create(admin)
        raw = created["token"]
        client.app.dependency_overrides.clear()  # from here on, only the bearer token counts
        assert client.get("/api/v1/routes", headers=_bearer(raw)).status_code == 200
        login_as(make_user(db, role=Role.admin))
        resp = client.delete(f"/api/v1/tokens/{created['id']}")
        assert resp.status_code == 200 and resp.json()["revoked_at"] is not None
        client.app.dependency_overrides.clear()
        resp = client.get("/api/v1/routes", headers=_bearer(raw))
        assert resp.status_code == 401 and resp.json()["error"] == "not_authenticated"

    def test_revoking_unknown_token_is_404(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        resp = client.delete("/api/v1/tokens/00000000-0000-4000-8000-000000000000")
        assert resp.status_code == 404


class TestTokenScope:
    def _token(self, db) -> str:
        raw = f"{API_TOKEN_PREFIX}scope-test"
        db.add(ApiToken(name="scope", role=Role.visualiser, token_hash=hash_api_token(raw)))
        db.flush()
        return raw

    def test_token_works_on_routes_only(self, db, client):
        headers = _bearer(self._token(db))
        assert client.get("/api/v1/routes", headers=headers).status_code == 200
        assert client.get("/api/v1/routes/summary", headers=headers).status_code == 200
        for path in ("/api/v1/auth/me", "/api/v1/tokens", "/api/v1/users", "/api/v1/cases"):
            resp = client.get(path, headers=headers)
            assert resp.status_code == 403, path
            assert resp.json()["error"] == "forbidden"

    def test_unknown_token_is_401(self, client):
        resp = client.get("/api/v1/routes", headers=_bearer(f"{API_TOKEN_PREFIX}nope"))
        assert resp.status_code == 401


def test_cli_create_token_prints_it_alone_on_last_line(fresh_db, subprocess_env):
    url, engine = fresh_db
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "create-token",
            "--role",
            "visualiser",
            "--name",
            "Visualizador CLI",
        ],
        env=subprocess_env(url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(API_TOKEN_PREFIX) and " " not in last
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT name, token_hash FROM api_tokens")).all()
    assert [tuple(r) for r in stored] == [("Visualizador CLI", hash_api_token(last))]
    refused = subprocess.run(
        [sys.executable, "-m", "app.cli", "create-token", "--role", "admin", "--name", "x"],
        env=subprocess_env(url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and "visualiser" in refused.stderr


def test_token_use_is_recorded_without_a_write_per_request(client, db):
    from datetime import timedelta

    from app.db import utcnow

    raw = f"{API_TOKEN_PREFIX}usetest"
    token = ApiToken(name="vis", role=Role.visualiser, token_hash=hash_api_token(raw))
    db.add(token)
    db.flush()
    assert client.get("/api/v1/routes", headers=_bearer(raw)).status_code == 200
    db.refresh(token)
    first = token.last_used_at
    assert first is not None
    assert client.get("/api/v1/routes", headers=_bearer(raw)).status_code == 200
    db.refresh(token)
    assert token.last_used_at == first  # within the resolution: no new write
    token.last_used_at = utcnow() - timedelta(hours=1)
    db.flush()
    assert client.get("/api/v1/routes", headers=_bearer(raw)).status_code == 200
    db.refresh(token)
    assert token.last_used_at > first
