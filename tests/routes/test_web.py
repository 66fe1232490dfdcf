"""The /rutas page: signed-in staff only, the API's own flows drawn as SVG and tabulated."""

from __future__ import annotations

import re

from app.catalogs import Role
from app.deps import API_TOKEN_PREFIX, hash_api_token
from app.routes.svg import project
from app.tokens.models import ApiToken
from tests.factories import make_user
from tests.routes.builders import CUSCO, LIMA, MDD, PUNO, add_victims, flow, pe


def test_page_shows_exactly_the_api_flows(db, login_as):
    add_victims(db, 7, flow(LIMA, MDD))
    add_victims(db, 5, [("capture", "CL", None), pe(PUNO, "exploitation")])
    add_victims(db, 1, flow(CUSCO, CUSCO))
    client = login_as(make_user(db, role=Role.social_worker))
    api = client.get("/api/v1/routes").json()
    resp = client.get("/rutas")
    assert resp.status_code == 200
    html = resp.text
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td class=\"num\">(\d+)</td>", html)
    assert [(a, b, int(n)) for a, b, n in rows] == [
        (f["from"]["name"], f["to"]["name"], f["victims"]) for f in api["flows"]
    ]
    assert len(rows) == 2 and "Cusco" not in {a for a, _, _ in rows}
    assert html.count('class="flow"') == 1 and html.count('class="flow intl"') == 1
    assert "<svg" in html and "flujos omitidos: <strong>1</strong>" in html
    assert "Cifras protegidas" in html and "cifras exactas" not in html
    # CSP: no inline script or style anywhere in the page.
    # The map is drawn on the server: no inline script or style (the site's own deferred
    # scripts for forms, served from /static, are the only ones).
    scripts = re.findall(r"<script[^>]*>", html)
    assert all(re.fullmatch(r'<script src="/static/[a-z]+\.js" defer>', s) for s in scripts)
    assert " style=" not in html and "<style" not in html


def test_filters_and_bad_input_in_spanish(db, login_as):
    add_victims(db, 6, flow(LIMA, LIMA), year=2023)
    client = login_as(make_user(db, role=Role.coordinator))
    page = client.get("/rutas").text
    assert "cifras exactas" in page and "Cifras protegidas" not in page
    assert "Ningún flujo" in client.get("/rutas", params={"from": 2024}).text
    assert "Ningún flujo" not in client.get("/rutas", params={"to": 2023}).text
    bad = client.get("/rutas", params={"from": "2025", "to": "2023"})
    assert bad.status_code == 422 and "posterior" in bad.text
    bad = client.get("/rutas", params={"stage_from": "exploitation", "stage_to": "capture"})
    assert bad.status_code == 422 and "etapa" in bad.text
    assert client.get("/rutas", params={"team": "arequipa"}).status_code == 422


def test_anonymous_is_sent_to_sign_in(client):
    resp = client.get("/rutas", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")


def test_visualiser_token_may_not_open_the_page(db, client):
    raw = f"{API_TOKEN_PREFIX}web-test"
    db.add(ApiToken(name="web", role=Role.visualiser, token_hash=hash_api_token(raw)))
    db.flush()
    resp = client.get("/rutas", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 403


def test_projection_pins_far_places_to_the_edge():
    lima = project(-12.0464, -77.0428)
    spain = project(40.46, -3.75)
    assert lima is not None and lima[2] is False
    assert spain is not None and spain[2] is True
    assert spain[0] > lima[0] and spain[1] < lima[1]  # east and north of Lima
    assert project(None, None) is None
