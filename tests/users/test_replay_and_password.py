"""Closed sign-in gaps: a TOTP code works once (no replay within its window), and a wrong
current password on `POST /auth/password` counts as a failed sign-in (throttling, lockout)."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from app.db import utcnow
from app.main import create_app
from app.users.models import LoginAttempt
from tests.conftest import make_settings
from tests.factories import PASSWORD, make_user

STEP = 30  # seconds per TOTP code


@pytest.fixture
def make_app(database_url, session_factory):
    def _make(**overrides):
        return create_app(make_settings(database_url, **overrides), session_factory=session_factory)

    return _make


def _sign_in(client: TestClient, username: str, password: str = PASSWORD, otp: str | None = None):
    data = {"username": username, "password": password}
    if otp:
        data["otp"] = otp
    return client.post("/api/v1/auth/token", data=data)


def _enrolled(db):
    user = make_user(db)
    user.otp_secret, user.otp_enrolled = pyotp.random_base32(), True
    db.flush()
    return user, pyotp.TOTP(user.otp_secret)


class TestTotpReplay:
    def test_a_code_signs_in_once_and_the_next_steps_code_works(self, make_app, db):
        user, totp = _enrolled(db)
        client = TestClient(make_app(lockout_failures=100))
        code = totp.now()
        assert _sign_in(client, user.username, otp=code).status_code == 200
        replay = _sign_in(client, user.username, otp=code)
        assert replay.status_code == 401 and replay.json()["error"] == "otp_required"
        fresh = totp.at(time.time() + STEP)  # the next step: accepted (clock drift allowance)
        assert _sign_in(client, user.username, otp=fresh).status_code == 200
        assert _sign_in(client, user.username, otp=fresh).status_code == 401

    def test_an_earlier_steps_code_is_refused_after_a_later_one(self, make_app, db):
        user, totp = _enrolled(db)
        client = TestClient(make_app(lockout_failures=100))
        assert _sign_in(client, user.username, otp=totp.at(time.time() + STEP)).status_code == 200
        # Still inside its own validity window, but older than the step already used.
        late = _sign_in(client, user.username, otp=totp.at(time.time() - STEP))
        assert late.status_code == 401 and late.json()["error"] == "otp_required"
        # A refused replay is a failed attempt like a wrong code.
        failures = db.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.username == user.username, LoginAttempt.success.is_(False))
        )
        assert failures == 1

    def test_confirm_refuses_a_replayed_code_and_sign_in_refuses_the_confirm_code(
        self, make_app, db
    ):
        user = make_user(db)
        client = TestClient(make_app(lockout_failures=100))
        auth = {"Authorization": f"Bearer {_sign_in(client, user.username).json()['access_token']}"}
        totp = pyotp.TOTP(client.post("/api/v1/auth/otp/enrol", headers=auth).json()["secret"])
        code = totp.now()
        ok = client.post("/api/v1/auth/otp/confirm", headers=auth, json={"otp": code})
        assert ok.status_code == 200 and ok.json()["otp_enrolled"] is True
        again = client.post("/api/v1/auth/otp/confirm", headers=auth, json={"otp": code})
        assert again.status_code == 422 and again.json()["error"] == "validation_error"
        assert _sign_in(client, user.username, otp=code).status_code == 401
        fresh = totp.at(time.time() + STEP)
        assert _sign_in(client, user.username, otp=fresh).status_code == 200


class TestWrongCurrentPassword:
    def _change(self, client: TestClient, auth: dict[str, str], current: str):
        return client.post(
            "/api/v1/auth/password",
            headers=auth,
            json={"current": current, "new": "otra-clave-larga-2026"},
        )

    def test_wrong_current_passwords_are_throttled_then_lock_the_account(self, make_app, db):
        user = make_user(db)
        client = TestClient(make_app(throttle_failures=3, lockout_failures=5))
        auth = {"Authorization": f"Bearer {_sign_in(client, user.username).json()['access_token']}"}
        for _ in range(3):
            resp = self._change(client, auth, "not-the-password")
            assert resp.status_code == 401
        blocked = self._change(client, auth, PASSWORD)  # even the right one, while throttled
        assert blocked.status_code == 429 and blocked.json()["error"] == "rate_limited"
        assert 0 < int(blocked.headers["Retry-After"]) <= 300
        assert _sign_in(client, user.username).status_code == 429  # the same account limit
        # The failures were committed although each request failed.
        failures = db.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.username == user.username, LoginAttempt.success.is_(False))
        )
        assert failures == 3
        # Once out of the window (moved back: no sleeping) guessing goes on to the lockout.
        db.execute(
            update(LoginAttempt)
            .where(LoginAttempt.username == user.username)
            .values(at=utcnow() - timedelta(seconds=301))
        )
        db.flush()
        assert self._change(client, auth, "not-the-password").status_code == 401
        assert self._change(client, auth, "still-not-it").status_code == 401  # fifth: locks
        db.refresh(user)
        assert user.locked_at is not None
        assert self._change(client, auth, PASSWORD).status_code == 423
        assert _sign_in(client, user.username).status_code == 423
