"""Framework errors keep the API contract: no `bad_request` kind, a complete `Allow`.

A body FastAPI cannot parse (bytes that are not UTF-8, JSON nested past the parser's limit, a
form without its boundary) answered 400 `bad_request`, a kind neither api.md nor
/openapi.json lists: it is a 422 `validation_error` at `["body"]`. A 405 named the methods of
one route where the path has several (one route per method): it names them all.
"""

from __future__ import annotations

import pytest

from app.catalogs import Role
from app.main import create_app
from tests.conftest import make_settings
from tests.factories import make_user

ANY_ID = "0b8a1c52-6f0e-4a35-9d43-1f3f8e2f5a10"
API_DOC = create_app(make_settings("sqlite://")).openapi()
UNPARSEABLE = {
    "not UTF-8": ("/api/v1/tokens", b'{"name": "\xff"}', "application/json"),
    "a lone invalid byte": ("/api/v1/tokens", b"\xff", "application/json"),
    "nested too deep": ("/api/v1/tokens", b"[" * 100_000, "application/json"),
    "no multipart boundary": ("/api/v1/auth/token", b"--x\r\n", "multipart/form-data"),
}


@pytest.mark.parametrize(("path", "body", "media"), UNPARSEABLE.values(), ids=UNPARSEABLE.keys())
def test_an_unparseable_body_is_a_validation_error(db, login_as, path, body, media) -> None:
    client = login_as(make_user(db, role=Role.admin))
    resp = client.post(path, content=body, headers={"content-type": media})
    assert resp.status_code == 422, resp.text
    payload = resp.json()
    assert payload["error"] == "validation_error"
    assert [item["loc"] for item in payload["detail"]] == [["body"]]
    assert "\\u00ff" not in resp.text and "\\xff" not in resp.text


def test_an_unparseable_form_on_a_page_answers_the_spanish_422_page(client) -> None:
    resp = client.post(
        "/login", content=b"--x\r\n", headers={"content-type": "multipart/form-data"}
    )
    assert resp.status_code == 422 and resp.headers["content-type"].startswith("text/html")
    assert "Datos no válidos" in resp.text


PATHS = sorted(API_DOC["paths"].items())


@pytest.mark.parametrize(("path", "operations"), PATHS, ids=[p for p, _ in PATHS])
def test_405_allows_every_method_the_path_serves(client, path, operations) -> None:
    served = {method.upper() for method in operations}
    absent = next(m for m in ("PUT", "PATCH", "DELETE", "POST", "GET") if m not in served)
    url = path
    for part in path.split("/"):
        if part.startswith("{"):
            url = url.replace(part, ANY_ID)
    resp = client.request(absent, url)
    assert resp.status_code == 405 and resp.json()["error"] == "method_not_allowed"
    assert set(resp.headers["allow"].split(", ")) == served


def test_405_on_a_page_lists_every_method_too(client) -> None:
    resp = client.put("/admin/usuarios/nuevo")
    assert resp.status_code == 405
    assert set(resp.headers["allow"].split(", ")) == {"GET", "POST"}
