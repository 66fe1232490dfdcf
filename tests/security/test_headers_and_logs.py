"""Headers, cookies and URLs carry no risk; no identity reaches any log."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.catalogs import Role, Team
from app.db import make_session_factory
from app.deps import SESSION_COOKIE
from app.main import create_app
from app.users.models import User
from app.web.session import new_session_token
from tests.conftest import make_settings
from tests.factories import PASSWORD, make_user
from tests.security.builders import NARRATIVE, VICTIM_DOC, VICTIM_NAME, seed

REPO = Path(__file__).resolve().parents[2]
# Query or path parameters that would put a person's data in a URL (and so in access logs,
# browser history and proxies).
IDENTIFYING = re.compile(
    r"name|document|doc_?number|dni|passport|phone|address|birth|"
    r"narrative|summary|^q$|search|text",
    re.I,
)


def _csp(value: str) -> dict[str, str]:
    return {
        d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else ""
        for d in (p.strip() for p in value.split(";"))
        if d
    }


class TestHeaders:
    @pytest.mark.parametrize(
        "path", ["/healthz", "/api/v1/auth/me", "/openapi.json", "/docs", "/", "/login"]
    )
    def test_security_headers_on_every_kind_of_response(self, client, path):
        resp = client.get(path, follow_redirects=False)
        csp = _csp(resp.headers["Content-Security-Policy"])
        assert (
            "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
        )
        assert csp["script-src"] == "'self'"
        assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"] == "no-referrer"
        assert resp.headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in resp.headers  # plain http: meaningless

    def test_hsts_under_https_or_behind_a_tls_proxy(self, session_factory, database_url):
        plain = create_app(make_settings(database_url), session_factory=session_factory)
        https = TestClient(plain, base_url="https://calp.example")
        assert "max-age=" in https.get("/healthz").headers["Strict-Transport-Security"]
        proxied = create_app(
            make_settings(database_url, behind_https=True), session_factory=session_factory
        )
        assert "Strict-Transport-Security" in TestClient(proxied).get("/healthz").headers

    def test_html_pages_have_no_inline_script(self, client):
        for path in ("/docs", "/login"):
            html = client.get(path).text
            for tag in re.findall(r"<script\b[^>]*>", html, re.I):
                assert "src=" in tag, f"{path}: inline script {tag}"
            assert not re.search(r"\son[a-z]+\s*=", html, re.I), f"{path}: inline handler"

    def test_session_cookie_is_httponly_strict_and_secure_under_https(
        self, session_factory, database_url, db
    ):
        user = make_user(db)
        app = create_app(
            make_settings(database_url, behind_https=True), session_factory=session_factory
        )
        client = TestClient(app, base_url="https://calp.example")
        form = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        resp = client.post(
            "/login",
            follow_redirects=False,
            data={
                "username": user.username,
                "password": PASSWORD,
                "csrf_token": token.group(1) if token else "",
            },
        )
        cookie = next(
            v
            for k, v in resp.headers.multi_items()
            if k == "set-cookie" and v.startswith(SESSION_COOKIE + "=")
        )
        flags = cookie.lower()
        assert "httponly" in flags and "samesite=strict" in flags and "secure" in flags


def test_no_identifying_parameter_in_any_url(app):
    """Every operation: no path or query parameter that could carry identity."""
    spec = app.openapi()
    offenders = [
        f"{method.upper()} {path} ?{p['name']}"
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        for p in op.get("parameters", [])
        if p["in"] in ("path", "query")
        and IDENTIFYING.search(p["name"])
        # A stored document's record id (a UUID), not a document number.
        and p["name"] != "document_id"
    ]
    # `q` of the case list matches case codes only (api.md), which reveal no identity.
    assert [o for o in offenders if o != "GET /api/v1/cases ?q"] == []
    assert set(spec["paths"]["/api/v1/victims/search"]) == {"post"}
    # HTML pages too: path parameters of every route, and the fields of every GET form.
    for route in app.routes:
        for name in re.findall(r"{(\w+)", getattr(route, "path", "")):
            assert not IDENTIFYING.search(name), f"{route.path}: {{{name}}}"
    for template in (REPO / "templates").rglob("*.html"):
        for form in re.findall(
            r"<form\b[^>]*method=\"get\".*?</form>", template.read_text(), re.I | re.S
        ):
            fields = re.findall(r"f\.\w+\('(\w+)'|name=\"(\w+)\"", form)
            names = {a or b for a, b in fields} - {"q"}  # `q`: case codes, as above
            assert not [n for n in names if IDENTIFYING.search(n)], f"{template}: {names}"


def test_no_identity_in_any_log_or_url(fresh_db, caplog, capfd):
    """A victim with a known name and document; the API and the pages are exercised."""
    url, engine = fresh_db
    caplog.set_level(logging.DEBUG)  # every logger, including sqlalchemy.engine's SQL+params
    for name in (
        "sqlalchemy.engine",
        "uvicorn",
        "uvicorn.access",
        "uvicorn.error",
        "calp",
        "httpx",
    ):
        caplog.set_level(logging.DEBUG, logger=name)
    seeded = seed(engine)
    with make_session_factory(engine)() as s:
        staff = s.get_one(User, seeded.staff_id)
        coordinator = make_user(s, role=Role.coordinator, teams=[Team.lima])
        s.commit()
    settings = make_settings(url)
    app = create_app(settings)
    urls: list[str] = []
    with TestClient(app) as client:
        client.event_hooks["request"] = [lambda request: urls.append(str(request.url))]
        for user in (staff, coordinator):
            token = client.post(
                "/api/v1/auth/token", data={"username": user.username, "password": PASSWORD}
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            victim = client.get(f"/api/v1/victims/{seeded.closed_victim_id}", headers=auth)
            assert victim.status_code == 200, victim.text
            found = client.post(
                "/api/v1/victims/search", headers=auth, json={"document_number": VICTIM_DOC}
            )
            assert found.status_code == 200, found.text
            bad = client.post(
                "/api/v1/victims/search",
                headers=auth,
                json={"document_number": VICTIM_DOC, "name": VICTIM_NAME},
            )
            assert VICTIM_NAME not in bad.text and VICTIM_DOC not in bad.text
            for path in (
                f"/api/v1/cases/{seeded.closed_case_id}",
                f"/api/v1/victims/{seeded.closed_victim_id}/follow-ups",
                f"/api/v1/cases/{seeded.closed_case_id}/victims",
                "/api/v1/audit",
            ):
                client.get(path, headers=auth)
        client.cookies.set(SESSION_COOKIE, new_session_token(settings, staff))
        pages = ["/", f"/casos/{seeded.closed_case_id}", f"/victimas/{seeded.closed_victim_id}"]
        for path in pages:
            resp = client.get(path)
            assert resp.status_code < 500, path
            assert VICTIM_DOC not in resp.headers.get("location", "")
    logged = caplog.text + "".join(capfd.readouterr())
    assert "SELECT" in logged  # the SQL log really was captured
    for secret in (VICTIM_DOC, VICTIM_NAME.split()[0], VICTIM_NAME.split()[1], NARRATIVE):
        assert secret not in logged
        assert not any(secret in u for u in urls)


class TestTelemetry:
    def test_framework_telemetry_stays_off_even_when_the_environment_asks(
        self, monkeypatch, session_factory, database_url
    ):
        # FastAPI's OpenTelemetry records exception messages; with this variable it would
        # add an exporter and ship them off the server.
        monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
        app = create_app(make_settings(database_url), session_factory)
        config = app._telemetry
        assert not any(
            config[k] for k in ("tracing", "metrics", "logs", "operation_spans", "auto_configure")
        )
        assert app._native_telemetry.enabled() is False
