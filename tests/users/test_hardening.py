"""Sign-in hardening: throttling (429), lockout (423) and unlock, two-factor in production,
token revocation, and limits shared by separately created apps (workers)."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from app.catalogs import Role
from app.crypto import configure_keyring
from app.db import make_engine, make_session_factory, utcnow
from app.main import create_app
from app.users.models import LoginAttempt
from tests.conftest import TEST_DATA_KEY, make_settings
from tests.factories import PASSWORD, make_user


def _sign_in(client: TestClient, username: str, password: str = PASSWORD, otp: str | None = None):
    data = {"username": username, "password": password}
    if otp:
        data["otp"] = otp
    return client.post("/api/v1/auth/token", data=data)


def _client(app, address: str = "testclient") -> TestClient:
    return TestClient(app, client=(address, 50000))


@pytest.fixture
def make_app(database_url, session_factory):
    def _make(**overrides):
        return create_app(make_settings(database_url, **overrides), session_factory=session_factory)

    yield _make
    configure_keyring(TEST_DATA_KEY)  # a production app installed its own data key


class TestThrottling:
    def test_failures_on_one_account_throttle_it_from_any_address(self, make_app, db):
        user = make_user(db)
        app = make_app(throttle_failures=3, lockout_failures=100)
        for n in range(3):
            assert _sign_in(_client(app, f"10.0.0.{n}"), user.username, "wrong").status_code == 401
        resp = _sign_in(_client(app, "10.0.0.99"), user.username)  # right password, new address
        assert resp.status_code == 429
        assert resp.json()["error"] == "rate_limited"
        assert 0 < int(resp.headers["Retry-After"]) <= 300  # within the window
        other = make_user(db)
        assert _sign_in(_client(app, "10.0.0.99"), other.username).status_code == 200
        # Once the failures leave the window (moved back in time here: no sleeping), it opens.
        db.execute(
            update(LoginAttempt)
            .where(LoginAttempt.username == user.username)
            .values(at=utcnow() - timedelta(seconds=301))
        )
        db.flush()
        assert _sign_in(_client(app, "10.0.0.99"), user.username).status_code == 200

    def test_failures_from_one_address_throttle_every_account_there(self, make_app, db):
        user = make_user(db)
        app = make_app(throttle_failures=3, lockout_failures=100)
        client = _client(app, "192.0.2.7")
        for n in range(3):
            assert _sign_in(client, f"nobody{n}", "wrong").status_code == 401
        assert _sign_in(client, user.username).status_code == 429
        assert _sign_in(_client(app, "192.0.2.8"), user.username).status_code == 200

    def test_throttle_holds_across_two_separately_created_apps(self, fresh_db):
        """Two workers: own app, own engine and session factory, one database."""
        url, engine = fresh_db
        with make_session_factory(engine)() as s:
            user = make_user(s)
            s.commit()
        settings = make_settings(url, throttle_failures=4, lockout_failures=100)
        engines = [make_engine(url), make_engine(url)]
        try:
            apps = [create_app(settings, session_factory=make_session_factory(e)) for e in engines]
            for n in range(4):  # alternate workers: each sees only half of the failures
                assert _sign_in(_client(apps[n % 2]), user.username, "bad").status_code == 401
            for app in apps:
                assert _sign_in(_client(app), user.username).status_code == 429
        finally:
            for e in engines:
                e.dispose()


class TestLockout:
    def test_long_run_of_failures_locks_until_an_admin_unlocks(self, make_app, db):
        user = make_user(db)
        admin = make_user(db, role=Role.admin)
        app = make_app(throttle_failures=1000, lockout_failures=4)
        client = _client(app)
        for _ in range(4):
            assert _sign_in(client, user.username, "wrong").status_code == 401
        locked = _sign_in(client, user.username)  # even the right password
        assert locked.status_code == 423
        assert locked.json()["error"] == "account_locked"
        token = _sign_in(client, admin.username).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get(f"/api/v1/users/{user.id}", headers=auth).json()["locked"] is True
        resp = client.post(f"/api/v1/users/{user.id}/unlock", headers=auth)
        assert resp.status_code == 200 and resp.json()["locked"] is False
        assert _sign_in(client, user.username).status_code == 200
        # The count starts again after the unlock: one more failure does not re-lock.
        assert _sign_in(client, user.username, "wrong").status_code == 401
        assert _sign_in(client, user.username).status_code == 200


class TestTwoFactor:
    @pytest.mark.parametrize("role", [Role.admin, Role.coordinator])
    def test_required_in_production_for_admin_and_coordinator(self, make_app, db, role):
        user = make_user(db, role=role)
        client = _client(make_app(env="production"))
        auth = {"Authorization": f"Bearer {_sign_in(client, user.username).json()['access_token']}"}
        blocked = client.get("/api/v1/cases", headers=auth)
        assert blocked.status_code == 401 and blocked.json()["error"] == "otp_required"
        assert client.get("/api/v1/auth/me", headers=auth).status_code == 200
        secret = client.post("/api/v1/auth/otp/enrol", headers=auth).json()["secret"]
        wrong = client.post("/api/v1/auth/otp/confirm", headers=auth, json={"otp": "000000"})
        assert wrong.status_code == 422
        ok = client.post(
            "/api/v1/auth/otp/confirm", headers=auth, json={"otp": pyotp.TOTP(secret).now()}
        )
        assert ok.status_code == 200 and ok.json()["otp_enrolled"] is True
        assert client.get("/api/v1/cases", headers=auth).status_code != 401  # 200, or 403 by role
        # From now on signing in needs the code.
        no_code = _sign_in(client, user.username)
        assert no_code.status_code == 401 and no_code.json()["error"] == "otp_required"
        assert _sign_in(client, user.username, otp="123456").status_code == 401
        # The code that confirmed enrolment is spent (no replay); the next step's code works.
        fresh = pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30))
        assert _sign_in(client, user.username, otp=fresh).status_code == 200

    def test_staff_and_development_are_not_forced(self, make_app, db):
        staff, admin = make_user(db), make_user(db, role=Role.admin)
        prod, dev = _client(make_app(env="production")), _client(make_app())
        for client, user in ((prod, staff), (dev, admin)):
            token = _sign_in(client, user.username).json()["access_token"]
            resp = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
            assert resp.status_code != 401, resp.text


class TestRevocation:
    def test_disabling_a_user_revokes_their_tokens(self, make_app, db):
        user, admin = make_user(db), make_user(db, role=Role.admin)
        client = _client(make_app())
        token = _sign_in(client, user.username).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/auth/me", headers=auth).status_code == 200
        admin_auth = {
            "Authorization": f"Bearer {_sign_in(client, admin.username).json()['access_token']}"
        }
        version = client.get(f"/api/v1/users/{user.id}", headers=admin_auth).json()["version"]
        resp = client.patch(
            f"/api/v1/users/{user.id}",
            headers=admin_auth,
            json={"active": False, "version": version},
        )
        assert resp.status_code == 200, resp.text
        assert client.get("/api/v1/auth/me", headers=auth).status_code == 401
        assert _sign_in(client, user.username).status_code == 401

    def test_changing_password_revokes_earlier_tokens(self, make_app, db):
        user = make_user(db)
        client = _client(make_app())
        old = {"Authorization": f"Bearer {_sign_in(client, user.username).json()['access_token']}"}
        resp = client.post(
            "/api/v1/auth/password",
            headers=old,
            json={"current": PASSWORD, "new": "otra-clave-larga-456"},
        )
        assert resp.status_code == 204, resp.text
        assert client.get("/api/v1/auth/me", headers=old).status_code == 401
        fresh = _sign_in(client, user.username, "otra-clave-larga-456")
        assert fresh.status_code == 200


class TestTwoFactorReset:
    def test_enrolled_user_cannot_restart_enrolment_but_admin_can_reset(self, login_as, db):
        user = make_user(db)
        user.otp_secret, user.otp_enrolled = pyotp.random_base32(), True
        db.flush()
        resp = login_as(user).post("/api/v1/auth/otp/enrol")
        assert resp.status_code == 409  # a stolen token cannot switch two-factor off
        db.refresh(user)
        assert user.otp_enrolled is True
        admin = make_user(db, role=Role.admin)
        resp = login_as(admin).patch(
            f"/api/v1/users/{user.id}", json={"version": user.version, "otp_reset": True}
        )
        assert resp.status_code == 200 and resp.json()["otp_enrolled"] is False
        resp = login_as(user).post("/api/v1/auth/otp/enrol")
        assert resp.status_code == 200 and resp.json()["secret"]
