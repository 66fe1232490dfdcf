"""Issue 17 (9b): an account an admin creates (UI or API) has a temporary password that the
first web sign-in must replace; `calp create-user --password-stdin` is never forced; bearer
tokens are unaffected."""

from __future__ import annotations

from app.catalogs import Role
from app.users.models import User
from tests.factories import PASSWORD, make_user
from tests.web.helpers import csrf, post_form, sign_in

NEW = "otra-clave-propia-2026"


def _admin_creates(client, db, username: str) -> User:
    admin = make_user(db, role=Role.admin)
    assert sign_in(client, admin.username).status_code == 303
    resp = post_form(
        client,
        "/admin/usuarios/nuevo",
        "/admin/usuarios/nuevo",
        {
            "username": username,
            "full_name": "Nueva Persona",
            "password": PASSWORD,
            "role": "lawyer",
            "teams": "lima",
        },
    )
    assert resp.status_code == 303, resp.text[:2000]
    client.post("/salir", data={"csrf_token": csrf(client, "/")})
    client.cookies.clear()
    created = db.query(User).filter_by(username=username).one()
    db.refresh(created)
    return created


class TestFirstSignIn:
    def test_an_account_made_in_the_ui_must_change_its_password_first(self, client, db):
        user = _admin_creates(client, db, "nueva.ui")
        assert user.must_change_password
        assert sign_in(client, "nueva.ui").status_code == 303
        for path in ("/", "/casos/nuevo", "/cuenta"):
            resp = client.get(path, follow_redirects=False)
            assert resp.status_code == 303, path
            assert resp.headers["location"] == "/cuenta/clave-inicial"
        page = client.get("/cuenta/clave-inicial")
        assert page.status_code == 200 and "contraseña temporal" in page.text
        assert client.get("/sesion/activa").status_code == 204  # typing keeps it alive
        wrong = post_form(
            client,
            "/cuenta/clave-inicial",
            "/cuenta/clave-inicial",
            {"current": PASSWORD, "new": NEW, "repeat": NEW + "x"},
        )
        assert wrong.status_code == 422
        done = post_form(
            client,
            "/cuenta/clave-inicial",
            "/cuenta/clave-inicial",
            {"current": PASSWORD, "new": NEW, "repeat": NEW},
        )
        assert done.status_code == 303 and done.headers["location"] == "/?aviso=clave"
        assert client.get("/casos/nuevo").status_code == 200
        db.refresh(user)
        assert not user.must_change_password
        assert client.get("/cuenta/clave-inicial", follow_redirects=False).status_code == 303

    def test_an_account_made_through_the_api_is_temporary_too(self, client, db, login_as):
        admin = make_user(db, role=Role.admin)
        api = login_as(admin)
        resp = api.post(
            "/api/v1/users",
            json={
                "username": "nueva.api",
                "full_name": "Otra Persona",
                "password": PASSWORD,
                "role": "psychologist",
                "teams": ["lima"],
            },
        )
        assert resp.status_code == 201
        assert "must_change_password" not in resp.json()  # the API contract is unchanged
        assert db.query(User).filter_by(username="nueva.api").one().must_change_password

    def test_an_admin_resetting_a_password_makes_it_temporary(self, db, settings):
        from app.users import service
        from app.users.schemas import UserUpdate

        admin = make_user(db, role=Role.admin)
        user = make_user(db)
        data = UserUpdate.model_validate({"version": user.version, "password": NEW})
        service.update_user(db, user, data, settings=settings, actor=admin)
        assert user.must_change_password

    def test_bearer_tokens_are_unaffected(self, client, db):
        user = make_user(db, must_change_password=True)
        resp = client.post(
            "/api/v1/auth/token", data={"username": user.username, "password": PASSWORD}
        )
        assert resp.status_code == 200, resp.text
        token = resp.json()["access_token"]
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200

    def test_sign_out_stays_possible(self, client, db):
        user = make_user(db, must_change_password=True)
        assert sign_in(client, user.username).status_code == 303
        page = client.get("/cuenta/clave-inicial")
        from tests.web.helpers import csrf_from

        resp = client.post(
            "/salir", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
        )
        assert resp.status_code == 303 and "aviso=salida" in resp.headers["location"]
