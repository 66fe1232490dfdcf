"""Sign-in, tokens and role gates."""

from __future__ import annotations

from datetime import timedelta

from jose import jwt

from app.catalogs import Role
from app.db import utcnow
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, make_user


def _token(client, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


class TestSignIn:
    def test_right_password_gives_a_token_that_works(self, client, db):
        user = make_user(db)
        resp = _token(client, user.username)
        assert resp.status_code == 200
        body = resp.json()
        assert body["token_type"] == "bearer" and body["expires_in"] > 0
        me = client.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
        )
        assert me.status_code == 200
        assert me.json()["username"] == user.username
        assert me.json()["teams"] == ["lima"]

    def test_wrong_password_is_401(self, client, db):
        user = make_user(db)
        resp = _token(client, user.username, "not-the-password")
        assert resp.status_code == 401
        assert resp.json()["error"] == "not_authenticated"

    def test_unknown_user_is_401(self, client, db):
        assert _token(client, "nobody-here").status_code == 401

    def test_disabled_user_cannot_sign_in_and_loses_tokens(self, client, db):
        user = make_user(db)
        token = _token(client, user.username).json()["access_token"]
        db.refresh(user)
        user.active = False
        user.token_generation += 1
        db.flush()
        assert _token(client, user.username).status_code == 401
        resp = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 401

    def test_expired_token_is_401(self, client, db):
        user = make_user(db)
        expired = jwt.encode(
            {
                "sub": str(user.id),
                "gen": 0,
                "typ": "access",
                "exp": int((utcnow() - timedelta(minutes=1)).timestamp()),
            },
            TEST_SECRET,
            algorithm="HS256",
        )
        resp = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {expired}"})
        assert resp.status_code == 401

    def test_tampered_token_is_401(self, client, db):
        user = make_user(db)
        token = _token(client, user.username).json()["access_token"]
        head, payload, sig = token.split(".")
        tampered = f"{head}.{payload}.{sig[:-2]}{'AA' if sig[-2:] != 'AA' else 'BB'}"
        resp = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tampered}"})
        assert resp.status_code == 401
        forged = jwt.encode(
            {"sub": str(user.id), "gen": 0, "typ": "access"}, "other-key", algorithm="HS256"
        )
        resp = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {forged}"})
        assert resp.status_code == 401

    def test_no_token_is_401(self, client):
        resp = client.get("/api/v1/auth/me")
        assert resp.status_code == 401
        assert resp.json()["error"] == "not_authenticated"
        assert resp.json()["code"] == "not_authenticated"


class TestRoleGates:
    def test_non_admin_on_admin_endpoint_is_403(self, client, db):
        user = make_user(db, role=Role.coordinator)
        token = _token(client, user.username).json()["access_token"]
        resp = client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 403
        assert resp.json()["error"] == "forbidden"

    def test_admin_creates_a_user_who_can_sign_in(self, login_as, db, client):
        admin = make_user(db, role=Role.admin)
        resp = login_as(admin).post(
            "/api/v1/users",
            json={
                "username": "nueva.abogada",
                "full_name": "Nueva Abogada",
                "password": "una-clave-larga-1",
                "role": "lawyer",
                "teams": ["puno"],
            },
        )
        assert resp.status_code == 201, resp.text
        assert resp.json()["teams"] == ["puno"]
        client.app.dependency_overrides.clear()
        assert _token(client, "nueva.abogada", "una-clave-larga-1").status_code == 200

    def test_duplicate_username_is_409(self, login_as, db):
        admin = make_user(db, role=Role.admin)
        other = make_user(db)
        resp = login_as(admin).post(
            "/api/v1/users",
            json={
                "username": other.username,
                "password": "una-clave-larga-1",
                "role": "lawyer",
                "teams": ["puno"],
            },
        )
        assert resp.status_code == 409

    def test_bad_user_payload_is_422_without_echoing_input(self, login_as, db):
        admin = make_user(db, role=Role.admin)
        resp = login_as(admin).post(
            "/api/v1/users", json={"username": "Secret Name", "password": "short", "role": "boss"}
        )
        assert resp.status_code == 422
        body = resp.json()
        assert body["error"] == "validation_error"
        assert "Secret Name" not in resp.text
        assert {tuple(e["loc"])[-1] for e in body["detail"]} >= {"username", "password", "role"}


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
