"""Signing out ends the session server-side: a copy of the cookie taken before is refused.

Plain sign-out ends that session only; "cerrar todas mis sesiones" (and an admin's
logout-all for an account) ends every session and bearer token of the person.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jose import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import Role
from app.config import Settings
from app.db import utcnow
from app.deps import SESSION_COOKIE
from app.users import service
from app.users.models import RevokedSession, User
from app.users.security import create_access_token
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, make_user
from tests.web.helpers import csrf, sign_in


@pytest.fixture
def browsers(app: FastAPI) -> Iterator[tuple[TestClient, TestClient]]:
    """Two browsers (cookie jars) against the same server."""
    with TestClient(app) as one, TestClient(app) as two:
        yield one, two


def _signed_in(client: TestClient, user: User) -> str:
    assert sign_in(client, user.username).status_code == 303
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie
    return cookie


def _sign_out(client: TestClient):
    return client.post(
        "/salir", data={"csrf_token": csrf(client, "/cuenta")}, follow_redirects=False
    )


def _bearer(client: TestClient, user: User) -> dict[str, str]:
    resp = client.post("/api/v1/auth/token", data={"username": user.username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def _assert_signed_in(client: TestClient, headers: dict[str, str] | None = None) -> None:
    assert client.get("/casos", headers=headers, follow_redirects=False).status_code == 200
    assert client.get("/api/v1/cases", headers=headers).status_code == 200


def _assert_signed_out(client: TestClient) -> None:
    resp = client.get("/casos", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/login?next=/casos"
    api = client.get("/api/v1/cases")
    assert api.status_code == 401 and api.json()["error"] == "not_authenticated"


def _with_cookie(client: TestClient, cookie: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    return client


def _logouts(db: Session, user: User) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == AuditAction.logout, AuditEvent.record_id == str(user.id))
            .order_by(AuditEvent.id)
        )
    )


class TestPlainSignOut:
    def test_a_copy_of_the_cookie_dies_with_the_sign_out(self, browsers, db):
        browser, thief = browsers
        user = make_user(db, role=Role.lawyer)
        copy = _signed_in(browser, user)
        _assert_signed_in(_with_cookie(thief, copy))
        assert _sign_out(browser).headers["location"] == "/login?aviso=salida"
        _assert_signed_out(_with_cookie(thief, copy))

    def test_a_renewal_of_the_signed_out_session_dies_too(self, browsers, db, settings):
        browser, thief = browsers
        user = make_user(db)
        cookie = _signed_in(browser, user)
        sid = jwt.get_unverified_claims(cookie)["sid"]
        # What renewing the copy would have produced: the same session, a later expiry.
        renewed = create_access_token(
            TEST_SECRET,
            user.id,
            0,
            minutes=settings.session_idle_minutes,
            kind="session",
            session_id=sid,
        )
        _sign_out(browser)
        _assert_signed_out(_with_cookie(thief, renewed))

    def test_another_session_of_the_same_person_survives(self, browsers, db):
        one, two = browsers
        user = make_user(db)
        _signed_in(one, user)
        _signed_in(two, user)
        _sign_out(one)
        _assert_signed_out(one)
        _assert_signed_in(two)

    def test_sign_out_is_audited_and_recorded_until_the_cookie_would_expire(
        self, client, db, settings: Settings
    ):
        user = make_user(db)
        cookie = _signed_in(client, user)
        _sign_out(client)
        (event,) = _logouts(db, user)
        assert event.user_id == user.id and event.detail == "session"
        row = db.get(RevokedSession, jwt.get_unverified_claims(cookie)["sid"])
        assert row is not None and row.user_id == user.id
        exp = jwt.get_unverified_claims(cookie)["exp"]
        assert row.expires_at.timestamp() >= exp  # no cookie of it outlives the row

    def test_signing_out_twice_with_copies_is_harmless(self, browsers, db):
        one, two = browsers
        user = make_user(db)
        copy = _signed_in(one, user)
        _with_cookie(two, copy)
        assert _sign_out(one).status_code == 303
        token = csrf(two, "/login")
        resp = two.post("/salir", data={"csrf_token": token}, follow_redirects=False)
        assert resp.status_code == 303
        assert len(_logouts(db, user)) == 1  # the dead copy signs nobody out

    def test_ending_one_session_twice_does_not_collide(self, db, settings):
        user = make_user(db)
        service.end_session(db, user, "the-same-sid", settings=settings)
        service.end_session(db, user, "the-same-sid", settings=settings)
        db.flush()
        rows = db.scalars(select(RevokedSession).where(RevokedSession.user_id == user.id))
        assert [r.sid for r in rows] == ["the-same-sid"]

    def test_a_session_cookie_without_a_session_id_is_refused(self, client, db, settings):
        user = make_user(db)
        legacy = create_access_token(
            TEST_SECRET, user.id, 0, minutes=settings.session_idle_minutes, kind="session"
        )
        _assert_signed_out(_with_cookie(client, legacy))

    def test_sign_in_forgets_revocations_past_their_expiry(self, client, db):
        user = make_user(db)
        now = utcnow()
        db.add_all(
            [
                RevokedSession(
                    sid="old",
                    user_id=user.id,
                    revoked_at=now - timedelta(hours=2),
                    expires_at=now - timedelta(hours=1),
                ),
                RevokedSession(
                    sid="live",
                    user_id=user.id,
                    revoked_at=now,
                    expires_at=now + timedelta(minutes=30),
                ),
            ]
        )
        db.flush()
        _signed_in(client, make_user(db))
        db.expire_all()
        left = set(db.scalars(select(RevokedSession.sid).where(RevokedSession.user_id == user.id)))
        assert left == {"live"}


class TestEverySession:
    def test_the_account_button_ends_every_session_and_token(self, browsers, db):
        one, two = browsers
        user = make_user(db)
        _signed_in(one, user)
        _signed_in(two, user)
        bearer = _bearer(two, user)
        two.cookies.clear()
        _assert_signed_in(two, bearer)
        resp = one.post(
            "/cuenta/cerrar-sesiones",
            data={"csrf_token": csrf(one, "/cuenta")},
            follow_redirects=False,
        )
        assert resp.status_code == 303
        assert resp.headers["location"] == "/login?aviso=sesiones"
        assert "Se cerraron todas sus sesiones." in one.get(resp.headers["location"]).text
        _assert_signed_out(one)
        assert two.get("/api/v1/cases", headers=bearer).status_code == 401
        (event,) = _logouts(db, user)
        assert event.user_id == user.id and event.detail == "all_sessions"

    def test_the_account_page_offers_the_button(self, client, db):
        _signed_in(client, make_user(db))
        page = client.get("/cuenta").text
        assert 'action="/cuenta/cerrar-sesiones"' in page
        assert "Cerrar todas mis sesiones" in page

    def test_the_api_ends_every_session_and_token(self, browsers, db):
        browser, api = browsers
        user = make_user(db)
        _signed_in(browser, user)
        bearer = _bearer(api, user)
        resp = api.post("/api/v1/auth/logout-all", headers=bearer)
        assert resp.status_code == 204
        assert api.get("/api/v1/auth/me", headers=bearer).status_code == 401
        _assert_signed_out(browser)
        assert [e.detail for e in _logouts(db, user)] == ["all_sessions"]

    def test_the_account_form_needs_its_csrf_token(self, client, db):
        _signed_in(client, make_user(db))
        resp = client.post("/cuenta/cerrar-sesiones", follow_redirects=False)
        assert resp.status_code == 403
        _assert_signed_in(client)


class TestAdminEndsSessions:
    def test_the_users_page_ends_another_persons_sessions_only(self, browsers, db):
        admin_browser, target_browser = browsers
        admin = make_user(db, role=Role.admin)
        target = make_user(db, role=Role.lawyer)
        _signed_in(admin_browser, admin)
        _signed_in(target_browser, target)
        bearer = _bearer(target_browser, target)
        page = admin_browser.get("/admin/usuarios").text
        action = f"/admin/usuarios/{target.id}/cerrar-sesiones"
        assert f'action="{action}"' in page
        resp = admin_browser.post(
            action,
            data={"csrf_token": csrf(admin_browser, "/admin/usuarios")},
            follow_redirects=False,
        )
        assert resp.status_code == 303
        assert resp.headers["location"] == "/admin/usuarios?aviso=sesiones_cerradas"
        assert admin_browser.get("/admin/usuarios").status_code == 200  # the admin stays
        assert target_browser.get("/api/v1/cases", headers=bearer).status_code == 401
        _assert_signed_out(target_browser)
        (event,) = _logouts(db, target)
        assert event.user_id == admin.id and event.detail == "all_sessions"

    def test_targeting_oneself_on_the_page_signs_the_admin_out(self, client, db):
        admin = make_user(db, role=Role.admin)
        _signed_in(client, admin)
        resp = client.post(
            f"/admin/usuarios/{admin.id}/cerrar-sesiones",
            data={"csrf_token": csrf(client, "/admin/usuarios")},
            follow_redirects=False,
        )
        assert resp.headers["location"] == "/login?aviso=sesiones"
        assert client.get("/admin/usuarios", follow_redirects=False).status_code == 303

    def test_the_admin_form_needs_its_csrf_token(self, browsers, db):
        admin_browser, target_browser = browsers
        admin = make_user(db, role=Role.admin)
        target = make_user(db)
        _signed_in(admin_browser, admin)
        _signed_in(target_browser, target)
        resp = admin_browser.post(
            f"/admin/usuarios/{target.id}/cerrar-sesiones", follow_redirects=False
        )
        assert resp.status_code == 403
        _assert_signed_in(target_browser)

    def test_the_api_ends_another_persons_sessions_and_keeps_the_admins(self, client, db):
        admin = make_user(db, role=Role.admin)
        target = make_user(db)
        admin_bearer = _bearer(client, admin)
        target_bearer = _bearer(client, target)
        resp = client.post(f"/api/v1/users/{target.id}/logout-all", headers=admin_bearer)
        assert resp.status_code == 204
        assert client.get("/api/v1/auth/me", headers=target_bearer).status_code == 401
        assert client.get("/api/v1/auth/me", headers=admin_bearer).status_code == 200
        (event,) = _logouts(db, target)
        assert event.user_id == admin.id

    def test_the_api_on_oneself_ends_the_admins_own_token(self, client, db):
        admin = make_user(db, role=Role.admin)
        bearer = _bearer(client, admin)
        assert (
            client.post(f"/api/v1/users/{admin.id}/logout-all", headers=bearer).status_code == 204
        )
        assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401

    def test_an_unknown_account_is_404(self, client, db):
        bearer = _bearer(client, make_user(db, role=Role.admin))
        resp = client.post(
            "/api/v1/users/00000000-0000-4000-8000-000000000000/logout-all", headers=bearer
        )
        assert resp.status_code == 404
        assert resp.json()["code"] == "user_not_found"  # the account, not the route
