"""A NUL character in any text a request carries answers 422 naming the field, never a 500.

PostgreSQL refuses U+0000 in text (the driver raised and the request answered 500). Every
string a client can send is tried: each path and query parameter and each string property
(nested ones too) of each JSON or url-encoded body in /openapi.json, every HTML page's
parameters and every HTML form post. The API answers `validation_error` with the field's
`loc`; pages answer the Spanish 422 page; neither echoes the value.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from app.catalogs import Role, Team
from app.imports.layout import VICTIM_COLUMNS
from app.main import create_app
from tests.conftest import make_settings
from tests.factories import make_user, make_victim
from tests.imports.builders import csv_bytes, victim_row

NUL_TEXT = "x\x00"
MULTIPART = "multipart/form-data"
ANY_ID = "0b8a1c52-6f0e-4a35-9d43-1f3f8e2f5a10"
_APP = create_app(make_settings("sqlite://"))
API_DOC = _APP.openapi()


def _web_doc() -> dict[str, Any]:
    """The HTML pages as an OpenAPI document (they are left out of /openapi.json)."""
    routes = []
    for ctx in iter_route_contexts(_APP.routes):
        route = ctx.original_route
        if isinstance(route, APIRoute) and not ctx.path.startswith(
            ("/api/", "/docs", "/openapi.json", "/healthz")
        ):
            route = copy.copy(route)
            route.include_in_schema = True
            route.path, route.path_format = ctx.path, ctx.path_format
            routes.append(route)
    return get_openapi(title="pages", version="0", routes=routes)


WEB_DOC = _web_doc()


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _branches(schema: dict[str, Any], doc: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema, doc)
    options = schema.get("anyOf") or schema.get("oneOf") or [schema]
    return [_resolve(s, doc) for s in options]


def _is_text(schema: dict[str, Any], doc: dict[str, Any]) -> bool:
    return any(
        b.get("type") == "string" and "contentMediaType" not in b and b.get("format") != "binary"
        for b in _branches(schema, doc)
    )


def _text_locs(schema: dict[str, Any], doc: dict[str, Any], depth: int = 0) -> Iterator[tuple]:
    """Every place in a body where a string goes: (), ("name",), ("legs", 0, "country")..."""
    if _is_text(schema, doc):
        yield ()
        return
    if depth > 4:
        return
    for branch in _branches(schema, doc):
        if branch.get("type") == "array" and "items" in branch:
            yield from ((0, *loc) for loc in _text_locs(branch["items"], doc, depth + 1))
        elif "properties" in branch:
            for name, prop in branch["properties"].items():
                yield from ((name, *loc) for loc in _text_locs(prop, doc, depth + 1))
        elif isinstance(branch.get("additionalProperties"), dict):
            extra = branch["additionalProperties"]
            yield from (("key", *loc) for loc in _text_locs(extra, doc, depth + 1))
        else:
            continue
        return  # the first structured branch is enough


def _nest(loc: tuple) -> Any:
    value: Any = NUL_TEXT
    for part in reversed(loc):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def _cases(doc: dict[str, Any], kind: str) -> Iterator[Any]:
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            for param in op.get("parameters", []):
                if param["in"] in ("path", "query") and _is_text(param["schema"], doc):
                    where, name = param["in"], param["name"]
                    yield pytest.param(
                        kind, method, path, where, (name,), id=f"{method} {path} {where}:{name}"
                    )
            content = op.get("requestBody", {}).get("content", {})
            for media in ("application/json", "application/x-www-form-urlencoded", MULTIPART):
                if media in content:
                    for loc in _text_locs(content[media]["schema"], doc):
                        dotted = ".".join(map(str, loc))
                        yield pytest.param(
                            kind, method, path, media, loc, id=f"{method} {path} body:{dotted}"
                        )
            if method == "post" and kind == "page" and not content:
                # Pages read their forms themselves: any field of the form post is text.
                form = "application/x-www-form-urlencoded"
                yield pytest.param(kind, method, path, form, ("texto",), id=f"post {path} form")


CASES = [*_cases(API_DOC, "api"), *_cases(WEB_DOC, "page")]
# Routes that parse their multipart body from the stream (app.nul_guard.parses_own_multipart).
OWN_MULTIPART = {("post", "/api/v1/victims/{victim_id}/documents")}


def _request(method: str, path: str, where: str, loc: tuple) -> dict[str, Any]:
    target = quote(NUL_TEXT) if where == "path" else None
    url = path
    for name in [p.strip("{}").split(":")[0] for p in path.split("/") if p.startswith("{")]:
        value = target if name == loc[0] else ("10" if name == "number" else ANY_ID)
        url = url.replace(f"{{{name}}}", value).replace(f"{{{name}:path}}", value)
    kwargs: dict[str, Any] = {"method": method.upper(), "url": url}
    if where == "query":
        kwargs["params"] = {loc[0]: NUL_TEXT}
    elif where == "application/json":
        kwargs["json"] = _nest(loc)
    elif where == "application/x-www-form-urlencoded":
        kwargs["data"] = {loc[0]: NUL_TEXT}
    elif where == MULTIPART:  # a file part besides, as a browser sends the form
        kwargs["data"] = {loc[0]: NUL_TEXT}
        kwargs["files"] = {"adjunto": ("casos.csv", b"a,b\r\n")}
    return kwargs


def test_every_operation_has_a_text_input_tried() -> None:
    tried = {(c.values[1], c.values[2]) for c in CASES if c.values[0] == "api"}
    with_text = {
        (m, p)
        for p, ops in API_DOC["paths"].items()
        for m, op in ops.items()
        if op.get("parameters") or op.get("requestBody")
    }
    # Operations whose only inputs are numbers, booleans, dates or files have nothing to try.
    assert len(tried) >= 40 and tried <= with_text
    assert ("post", "/api/v1/auth/token") in tried and ("get", "/api/v1/audit") in tried


@pytest.mark.parametrize(("kind", "method", "path", "where", "loc"), CASES)
def test_nul_in_any_text_input_is_422_naming_the_field(
    db, login_as, kind, method, path, where, loc
) -> None:
    client = login_as(make_user(db, role=Role.admin))
    request = _request(method, path, where, loc)
    if (method, path) in OWN_MULTIPART and where == MULTIPART:
        # The route parses its body itself, once the caller may write (admin: 403 first):
        # tried as staff, on a real victim, with the file the form needs.
        client = login_as(make_user(db, role=Role.lawyer))
        request = _request(method, path.replace("{victim_id}", str(make_victim(db).id)), where, loc)
        request["files"] = {"file": ("nota.txt", b"texto")}
    resp = client.request(**request, follow_redirects=False)
    assert resp.status_code == 422, (resp.status_code, resp.text[:300])
    assert "\\u0000" not in resp.text and NUL_TEXT not in resp.text
    if kind == "page":
        assert resp.headers["content-type"].startswith("text/html")
        assert "Datos no válidos" in resp.text
        return
    body = resp.json()
    assert body["error"] == "validation_error"
    prefix = "body" if where.startswith(("application/", "multipart/")) else where
    expected = [prefix, *loc] if where == "application/json" else [prefix, loc[0]]
    assert [item["loc"] for item in body["detail"]] == [expected]
    assert body["detail"][0]["type"] == "string_nul_character"


class TestTheIssuesExamples:
    """The requests that answered 500 on PostgreSQL, as they were sent."""

    def test_sign_in_with_a_nul_username_needs_no_account(self, client) -> None:
        resp = client.post("/api/v1/auth/token", data={"username": "admin\x00", "password": "x"})
        assert resp.status_code == 422 and resp.json()["error"] == "validation_error"
        assert [e["loc"] for e in resp.json()["detail"]] == [["body", "username"]]
        assert "admin" not in resp.text

    @pytest.mark.parametrize("param", ["user", "record"])
    def test_audit_filters(self, db, login_as, param) -> None:
        client = login_as(make_user(db, role=Role.admin))
        resp = client.get(f"/api/v1/audit?{param}=%00")
        assert resp.status_code == 422
        assert [e["loc"] for e in resp.json()["detail"]] == [["query", param]]

    def test_token_name(self, db, login_as) -> None:
        client = login_as(make_user(db, role=Role.admin))
        resp = client.post("/api/v1/tokens", json={"name": "t\x00", "role": "visualiser"})
        assert resp.status_code == 422
        assert [e["loc"] for e in resp.json()["detail"]] == [["body", "name"]]

    def test_the_sign_in_page_answers_the_spanish_page(self, client) -> None:
        page = client.get("/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        resp = client.post(
            "/login", data={"username": "ana\x00", "password": "x", "csrf_token": token}
        )
        assert resp.status_code == 422 and resp.headers["content-type"].startswith("text/html")
        assert "Datos no válidos" in resp.text and "ana" not in resp.text


class TestPrecision:
    def test_an_escaped_backslash_before_u0000_is_plain_text(self, db, login_as) -> None:
        client = login_as(make_user(db, role=Role.admin))
        resp = client.post(
            "/api/v1/tokens",
            content=b'{"name": "mapa \\\\u0000", "role": "visualiser"}',
            headers={"content-type": "application/json"},
        )
        assert resp.status_code == 201, resp.text

    def test_a_nul_in_a_field_name_names_the_object_not_the_key(self, db, login_as) -> None:
        client = login_as(make_user(db, role=Role.admin))
        resp = client.post(
            "/api/v1/tokens", json={"name": "mapa", "role": "visualiser", "a\x00": 1}
        )
        assert resp.status_code == 422
        assert [e["loc"] for e in resp.json()["detail"]] == [["body"]]

    def test_a_nul_in_an_unknown_path_is_422_not_500(self, client) -> None:
        assert client.get("/no/such/x%00").status_code == 422
        assert client.get("/api/v1/no/such/x%00").json()["detail"][0]["loc"] == ["path"]


def test_multipart_text_fields_are_tried_too() -> None:
    """Multipart bodies skip the middleware (files); their text fields are checked after."""
    multipart = [c.values[2] for c in CASES if c.values[3] == MULTIPART]
    assert "/importar" in multipart  # its `encoding` choice


@pytest.mark.parametrize("column", [c.name for c in VICTIM_COLUMNS if c.kind != "ignored"])
def test_nul_in_any_cell_of_an_imported_file_is_a_row_error(db, login_as, column) -> None:
    client = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    row = victim_row(1, case="NUL-C1", victim_external_id="NUL-V1") | {column: "a\x00b"}
    resp = client.post("/api/v1/imports", files={"file": ("casos.csv", csv_bytes([row]))})
    assert resp.status_code == 422, resp.text[:300]
    assert {(e["line"], e["column"]) for e in resp.json()["detail"]} == {(2, column)}
    assert "a\\u0000b" not in resp.text
