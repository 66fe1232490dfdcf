"""Pages a role may not open answer the Spanish 403 page, never a 500.

The page is rendered after the request's session has closed; the signed-in user it shows
must not be read from that session (it was: DetachedInstanceError, 500). Signed in through
the sign-in form, as in a browser, so the real session cookie path runs.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.catalogs import Role
from app.db import make_session_factory
from app.main import create_app
from tests.conftest import make_settings
from tests.factories import make_user
from tests.web.helpers import csrf, sign_in

STATISTICS = [
    "/estadisticas",
    "/estadisticas/calidad",
    "/estadisticas/resultados",
    "/estadisticas/informe",
    "/estadisticas/tablas/10",
]
ADMIN = ["/admin/usuarios", "/admin/usuarios/nuevo", "/admin/tokens", "/admin/usuarios/{id}"]
FORBIDDEN = {
    Role.psychologist: STATISTICS + ADMIN,
    Role.lawyer: STATISTICS + ADMIN,
    Role.coordinator: ADMIN,
}


@pytest.fixture(scope="module")
def served():
    """A database with real commits and an app of its own, as `calp serve` runs it."""
    from tests import dbutil

    with dbutil.migrated_database("forbidden") as (url, engine):
        with make_session_factory(engine)() as s:
            users = {role: make_user(s, role=role) for role in FORBIDDEN}
            other = make_user(s, role=Role.lawyer)
            s.commit()
            names = {role: u.username for role, u in users.items()}
            other_id = str(other.id)
        yield create_app(make_settings(url)), names, other_id
        engine.dispose()


@pytest.mark.parametrize(
    ("role", "path"), [(role, path) for role, paths in FORBIDDEN.items() for path in paths]
)
def test_a_forbidden_page_answers_the_spanish_403_page(served, role, path) -> None:
    app, names, other_id = served
    with TestClient(app, raise_server_exceptions=False) as client:
        assert sign_in(client, names[role]).status_code == 303
        resp = client.get(path.format(id=other_id), follow_redirects=False)
    assert resp.status_code == 403, resp.status_code
    assert resp.headers["content-type"].startswith("text/html")
    assert "Acceso denegado" in resp.text
    assert names[role] in resp.text  # still shown as signed in (the Salir button)


@pytest.mark.parametrize("role", [Role.psychologist, Role.coordinator])
def test_a_forbidden_form_post_answers_the_spanish_403_page(served, role) -> None:
    app, names, _ = served
    with TestClient(app, raise_server_exceptions=False) as client:
        assert sign_in(client, names[role]).status_code == 303
        token = csrf(client, "/cuenta")
        resp = client.post(
            "/admin/tokens", data={"name": "mapa", "csrf_token": token}, follow_redirects=False
        )
    assert resp.status_code == 403 and "Acceso denegado" in resp.text
