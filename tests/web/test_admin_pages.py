"""Admin pages: accounts (create, role and teams, deactivate, unlock) and visualiser tokens."""

from __future__ import annotations

from app.catalogs import Role
from app.db import utcnow
from app.tokens.models import ApiToken
from app.users.models import User
from tests.factories import make_user
from tests.web.helpers import post_form


class TestUsers:
    def test_admin_creates_a_user_with_teams(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        resp = post_form(
            client,
            "/admin/usuarios/nuevo",
            "/admin/usuarios/nuevo",
            {
                "username": "nueva.psico",
                "full_name": "Nueva Psicóloga",
                "role": "psychologist",
                "teams": ["cusco", "puno"],
                "password": "una-clave-larga-1",
            },
        )
        assert resp.status_code == 303
        created = db.query(User).filter_by(username="nueva.psico").one()
        assert created.teams == ["cusco", "puno"]

    def test_bad_user_form_keeps_values_but_not_password(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        resp = post_form(
            client,
            "/admin/usuarios/nuevo",
            "/admin/usuarios/nuevo",
            {
                "username": "x",
                "full_name": "Nombre Escrito",
                "role": "lawyer",
                "password": "corta-9",
            },
        )
        assert resp.status_code == 422
        assert 'id="err-username"' in resp.text and 'id="err-password"' in resp.text
        assert "Nombre Escrito" in resp.text and "corta-9" not in resp.text

    def test_deactivating_ends_the_account(self, db, login_as):
        target = make_user(db, role=Role.lawyer)
        client = login_as(make_user(db, role=Role.admin))
        resp = post_form(
            client,
            f"/admin/usuarios/{target.id}",
            f"/admin/usuarios/{target.id}",
            {
                "version": str(target.version),
                "role": "lawyer",
                "teams": ["lima"],
                "full_name": target.full_name,
            },
        )
        assert resp.status_code == 303
        db.refresh(target)
        assert target.active is False and target.token_generation == 1

    def test_unlock(self, db, login_as):
        target = make_user(db, locked_at=utcnow())
        client = login_as(make_user(db, role=Role.admin))
        assert "Desbloquear" in client.get("/admin/usuarios").text
        resp = post_form(client, "/admin/usuarios", f"/admin/usuarios/{target.id}/desbloquear", {})
        assert resp.status_code == 303
        db.refresh(target)
        assert target.locked_at is None

    def test_staff_may_not_administer(self, db, login_as):
        assert login_as(make_user(db)).get("/admin/usuarios").status_code == 403


class TestTokens:
    def test_token_is_shown_once_then_revoked(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        resp = post_form(client, "/admin/tokens", "/admin/tokens", {"name": "Mapa público"})
        assert resp.status_code == 200
        assert "calp_vis_" in resp.text
        assert "calp_vis_" not in client.get("/admin/tokens").text
        token = db.query(ApiToken).filter_by(name="Mapa público").one()
        revoke = post_form(client, "/admin/tokens", f"/admin/tokens/{token.id}/revocar", {})
        assert revoke.status_code == 303
        db.refresh(token)
        assert token.revoked_at is not None
