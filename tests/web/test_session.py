"""Sign-in with the session cookie, CSRF refusal, idle expiry, sign-out."""

from __future__ import annotations

from datetime import timedelta

from jose import jwt

from app.catalogs import Role
from app.db import utcnow
from app.deps import SESSION_COOKIE
from app.users.security import create_access_token
from tests.conftest import TEST_SECRET
from tests.factories import make_user
from tests.web.helpers import csrf, sign_in


def _set_cookie_headers(resp) -> list[str]:
    return [v for k, v in resp.headers.multi_items() if k.lower() == "set-cookie"]


class TestSignIn:
    def test_root_shows_sign_in_form_to_visitors(self, client):
        resp = client.get("/")
        assert resp.status_code == 200
        assert 'name="password"' in resp.text and 'lang="es"' in resp.text

    def test_sign_in_sets_a_strict_httponly_cookie_and_shows_home(self, client, db):
        user = make_user(db, full_name="Ana Prueba")
        resp = sign_in(client, user.username)
        assert resp.status_code == 303 and resp.headers["location"] == "/"
        cookie = next(c for c in _set_cookie_headers(resp) if c.startswith(SESSION_COOKIE))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert "Secure" not in cookie  # plain http in tests
        home = client.get("/")
        assert "Hola, Ana Prueba" in home.text and "Casos abiertos" in home.text

    def test_cookie_is_secure_behind_https(self, app, db):
        from fastapi.testclient import TestClient

        app.state.settings.behind_https = True
        user = make_user(db)
        with TestClient(app, base_url="https://testserver") as secure_client:
            resp = sign_in(secure_client, user.username)
        cookie = next(c for c in _set_cookie_headers(resp) if c.startswith(SESSION_COOKIE))
        assert "Secure" in cookie

    def test_wrong_password_rerenders_with_username_and_counts(self, client, db):
        user = make_user(db)
        resp = sign_in(client, user.username, "clave-equivocada")
        assert resp.status_code == 401
        assert "incorrectos" in resp.text and f'value="{user.username}"' in resp.text
        assert "clave-equivocada" not in resp.text
        assert SESSION_COOKIE not in resp.cookies

    def test_next_is_followed_only_for_local_paths(self, client, db):
        user = make_user(db)
        assert sign_in(client, user.username, next="/cuenta").headers["location"] == "/cuenta"
        other = make_user(db)
        resp = sign_in(client, other.username, next="//evil.example/x")
        assert resp.headers["location"] == "/"

    def test_page_without_session_redirects_to_login_with_next(self, client):
        resp = client.get("/cuenta", follow_redirects=False)
        assert resp.status_code == 303
        assert resp.headers["location"] == "/login?next=/cuenta"


class TestCsrf:
    def test_post_without_token_is_refused(self, client, db):
        user = make_user(db)
        client.get("/login")
        resp = client.post("/login", data={"username": user.username, "password": "x"})
        assert resp.status_code == 403
        assert "Acceso denegado" in resp.text

    def test_token_of_another_browser_is_refused(self, app, db):
        from fastapi.testclient import TestClient

        user = make_user(db)
        with TestClient(app) as one, TestClient(app) as two:
            token = csrf(one)
            two.get("/login")
            resp = two.post(
                "/login", data={"username": user.username, "password": "x", "csrf_token": token}
            )
            assert resp.status_code == 403

    def test_signed_in_post_without_token_is_refused(self, client, db):
        user = make_user(db)
        sign_in(client, user.username)
        resp = client.post("/salir", follow_redirects=False)
        assert resp.status_code == 403
        assert client.get("/cuenta", follow_redirects=False).status_code == 200


class TestIdleTimeout:
    def test_expired_session_cookie_sends_to_login(self, client, db):
        user = make_user(db)
        old = jwt.encode(
            {
                "sub": str(user.id),
                "gen": 0,
                "typ": "session",
                "iat": int((utcnow() - timedelta(hours=2)).timestamp()),
                "exp": int((utcnow() - timedelta(minutes=1)).timestamp()),
            },
            TEST_SECRET,
            algorithm="HS256",
        )
        client.cookies.set(SESSION_COOKIE, old)
        resp = client.get("/cuenta", follow_redirects=False)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/login")

    def test_activity_renews_a_half_spent_cookie(self, client, db, settings):
        user = make_user(db)
        fresh = create_access_token(
            TEST_SECRET, user.id, 0, minutes=5, kind="session", session_id="s1"
        )
        client.cookies.set(SESSION_COOKIE, fresh)
        resp = client.get("/cuenta")
        assert resp.status_code == 200
        renewed = resp.cookies.get(SESSION_COOKIE)
        assert renewed and renewed != fresh
        claims = jwt.decode(renewed, TEST_SECRET, algorithms=["HS256"])
        assert claims["exp"] - claims["iat"] == settings.session_idle_minutes * 60
        assert claims["sid"] == "s1"  # the same session, so signing it out ends the renewal

    def test_recent_cookie_is_not_reissued(self, client, db, settings):
        user = make_user(db)
        client.cookies.set(
            SESSION_COOKIE,
            create_access_token(
                TEST_SECRET,
                user.id,
                0,
                minutes=settings.session_idle_minutes,
                kind="session",
                session_id="s1",
            ),
        )
        assert SESSION_COOKIE not in client.get("/cuenta").cookies


class TestSignOut:
    def test_sign_out_clears_the_cookie(self, client, db):
        user = make_user(db, role=Role.lawyer)
        sign_in(client, user.username)
        token = csrf(client, "/cuenta")
        resp = client.post("/salir", data={"csrf_token": token}, follow_redirects=False)
        assert resp.status_code == 303
        assert client.get("/cuenta", follow_redirects=False).status_code == 303
