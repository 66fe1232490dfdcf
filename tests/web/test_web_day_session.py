"""Issue 17 (2): typing keeps the session alive; a form sent after expiry says why and
comes back; the page gives the browser's drafts an opaque owner id, never a name."""

from __future__ import annotations

import re

from app.catalogs import Role
from app.deps import SESSION_COOKIE
from tests.factories import PASSWORD, make_user
from tests.web.helpers import csrf, csrf_from, sign_in


def _signed_in(client, db, **kwargs):
    user = make_user(db, role=Role.lawyer, **kwargs)
    assert sign_in(client, user.username).status_code == 303
    return user


class TestKeepAlive:
    def test_alive_session_answers_204_and_a_visitor_401(self, client, db):
        assert client.get("/sesion/activa").status_code == 401
        _signed_in(client, db)
        resp = client.get("/sesion/activa")
        assert resp.status_code == 204 and resp.headers["cache-control"] == "no-store"

    def test_the_ping_renews_a_session_past_half_its_life(self, client, db, app):
        from app.web.session import new_session_token

        user = _signed_in(client, db)
        settings = app.state.settings
        settings.session_idle_minutes = 30
        old = client.cookies.get(SESSION_COOKIE)
        # A token with under half its life left (as if issued 20 minutes ago).
        settings.session_idle_minutes = 10
        short = new_session_token(settings, user)
        settings.session_idle_minutes = 30
        client.cookies.delete(SESSION_COOKIE)
        client.cookies.set(SESSION_COOKIE, short)
        resp = client.get("/sesion/activa")
        assert resp.status_code == 204
        renewed = resp.cookies.get(SESSION_COOKIE)
        assert renewed and renewed not in (short, old)


class TestSubmitAfterExpiry:
    def test_a_form_sent_without_a_session_goes_to_sign_in_saying_why(self, client, db):
        user = _signed_in(client, db)
        token = csrf(client, "/casos/nuevo")
        client.cookies.delete(SESSION_COOKIE)  # the browser dropped the expired cookie
        resp = client.post(
            "/casos/nuevo",
            data={"csrf_token": token, "team": "lima", "summary": "Relato confidencial"},
            follow_redirects=False,
        )
        assert resp.status_code == 303
        location = resp.headers["location"]
        assert location == "/login?next=/casos/nuevo&motivo=expirada"
        assert "Relato" not in location
        page = client.get(location)
        assert "Tu sesión había expirado" in page.text
        assert "Relato" not in page.text  # the server kept nothing of what was typed
        assert 'name="next" value="/casos/nuevo?aviso=expirada"' in page.text
        back = client.post(
            "/login",
            data={
                "username": user.username,
                "password": PASSWORD,
                "next": "/casos/nuevo?aviso=expirada",
                "csrf_token": csrf_from(page.text),
            },
            follow_redirects=False,
        )
        assert back.headers["location"] == "/casos/nuevo?aviso=expirada"
        form = client.get(back.headers["location"])
        assert "Tu sesión había expirado" in form.text

    def test_a_page_visited_signed_out_says_nothing_of_expiry(self, client):
        resp = client.get("/casos/nuevo", follow_redirects=False)
        assert resp.headers["location"] == "/login?next=/casos/nuevo"
        assert "expirado" not in client.get(resp.headers["location"]).text


class TestDraftOwner:
    def test_pages_name_the_person_by_an_opaque_id(self, client, db):
        user = _signed_in(client, db, full_name="Rosa Huamán")
        page = client.get("/casos/nuevo").text
        match = re.search(r'data-person="([0-9a-f]{24})" data-idle="(\d+)"', page)
        assert match, "no draft owner on the page"
        assert match.group(1) not in (str(user.id), user.username)
        assert match.group(1) not in str(user.id).replace("-", "")
        assert '<script src="/static/calp.js" defer>' in page

    def test_the_owner_differs_between_people_and_is_stable(self, client, db, app):
        from fastapi.testclient import TestClient

        _signed_in(client, db)
        first = re.search(r'data-person="(\w+)"', client.get("/").text)
        again = re.search(r'data-person="(\w+)"', client.get("/casos/nuevo").text)
        with TestClient(app) as other:
            _signed_in(other, db)
            second = re.search(r'data-person="(\w+)"', other.get("/").text)
        assert first and again and second
        assert first.group(1) == again.group(1) != second.group(1)

    def test_sign_out_page_tells_the_browser_to_forget_drafts(self, client, db):
        _signed_in(client, db)
        token = csrf(client, "/")
        resp = client.post("/salir", data={"csrf_token": token})
        assert resp.status_code == 200 and "data-signed-out" in resp.text
        assert "data-person" not in resp.text

    def test_a_saved_record_page_says_so_to_the_drafts(self, client, db):
        _signed_in(client, db)
        assert "data-saved" in client.get("/?aviso=creado").text
        assert "data-saved" not in client.get("/").text
        assert "calp-draft-owner" in client.get("/static/calp.js").text
