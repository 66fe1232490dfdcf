"""Refuse NUL characters in a request's text before routing: 422 naming the field.

PostgreSQL cannot store U+0000 in text (the driver raises, and the request would answer
500) and SQLite would keep a string no page can show. The check sits ahead of every route,
so it covers what any route reads now or later: the path, the query string, JSON bodies and
url-encoded forms (the sign-in form included), on both databases alike. The answer is the
app's own `RequestValidationError` response: JSON `validation_error` with the field's `loc`
under /api/, the Spanish 422 page elsewhere; never the value.

Multipart bodies carry files (binary by nature; their cells go through the import
validator), so the middleware passes them through unread; their text fields are checked once
FastAPI has parsed the form, by `refuse_nul_in_multipart`, an app-wide dependency (it reads
the parsed copy: nothing is parsed twice).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi.exceptions import RequestValidationError
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.error_texts import error_text

NUL = "\x00"
# The only ways a NUL can reach a parsed value, found without parsing in the usual case.
_JSON_NUL = b"\\u0000"
_FORM_NUL = (b"%00", b"\x00")
ERROR_TYPE = "string_nul_character"
ERROR_MSG = error_text(ERROR_TYPE)

Loc = tuple[str | int, ...]


def _json_nuls(document: Any) -> Iterator[Loc]:
    # Iterative: a deeply nested document must not exhaust the interpreter's stack.
    stack: list[tuple[Any, Loc]] = [(document, ("body",))]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                yield loc
        elif isinstance(value, dict):
            if any(NUL in key for key in value):  # a field name: name the object only
                yield loc
            items = [(item, (*loc, key)) for key, item in value.items() if NUL not in key]
            stack.extend(reversed(items))
        elif isinstance(value, list):
            stack.extend(reversed([(item, (*loc, i)) for i, item in enumerate(value)]))


def _pairs_nuls(raw: bytes, where: str) -> Iterator[Loc]:
    if not any(mark in raw for mark in _FORM_NUL):
        return
    # The same decoding as Starlette's query and form parsers (latin-1 bytes, UTF-8 escapes).
    for key, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        if NUL in key:
            yield (where,)
        elif NUL in value:
            yield (where, key)


def _path_nuls(scope: Scope) -> Iterator[Loc]:
    path = scope.get("path", "")
    if NUL not in path:
        return
    route = _path_route(scope["app"], path, scope.get("method", "GET"))
    match = route.path_regex.match(path) if route is not None else None
    names = [n for n, v in (match.groupdict() if match else {}).items() if NUL in v]
    yield from ((("path", n) for n in names) if names else [("path",)])


def _path_route(app: Any, path: str, method: str) -> RouteContext | None:
    """The route routing would pick for `path` (by method when several), or None."""
    matching = [r for r in iter_route_contexts(app.routes) if r.path_regex.match(path)]
    by_method = [r for r in matching if r.methods is None or method in r.methods]
    return next(iter(by_method or matching), None)


def _body_kind(scope: Scope) -> str | None:
    """ "json" or "form" when the body is one this guard reads, else None."""
    headers = dict(scope.get("headers", []))
    if headers.get(b"content-length", b"0") == b"0" and b"transfer-encoding" not in headers:
        return None
    media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if media == b"application/x-www-form-urlencoded":
        return "form"
    if not media or media == b"application/json" or media.endswith(b"+json"):
        return "json"
    return None


def _body_nuls(kind: str, body: bytes) -> Iterator[Loc]:
    if kind == "form":
        yield from _pairs_nuls(body, "body")
        return
    if _JSON_NUL not in body:
        return
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # not JSON: the route's own parsing answers
        return
    yield from _json_nuls(parsed)


class NulGuard:
    """Plain ASGI middleware (no per-request task group, unlike BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = [*_path_nuls(scope), *_pairs_nuls(scope.get("query_string", b""), "query")]
        kind = None if found else _body_kind(scope)
        if kind is not None:
            body, receive = await _buffer(receive)
            found = list(_body_nuls(kind, body))
        if not found:
            await self.app(scope, receive, send)
            return
        await _refuse(scope, receive, send, found)


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body (the route would anyway) and a `receive` that replays it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left: let the app see it
            first: Message | None = message
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            first = None
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return first or {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _nul_error(locs: Iterable[Loc]) -> RequestValidationError:
    """One 422 item per place a NUL was found, each place once."""
    return RequestValidationError(
        [{"loc": loc, "msg": ERROR_MSG, "type": ERROR_TYPE} for loc in dict.fromkeys(locs)]
    )


async def _refuse(scope: Scope, receive: Receive, send: Send, locs: list[Loc]) -> None:
    """Answer as the app answers any validation error (its registered handler)."""
    app = scope["app"]
    # Pages built by the handler resolve route names; routing has not run yet.
    request = Request({**scope, "router": app.router}, receive)
    response = app.exception_handlers[RequestValidationError](request, _nul_error(locs))
    if inspect.isawaitable(response):
        response = await response
    await response(scope, receive, send)


_OWN_MULTIPART = "_calp_parses_own_multipart"
E = TypeVar("E")


def parses_own_multipart(endpoint: E) -> E:
    """Mark a route that parses its multipart body from the stream itself (document
    uploads): `request.form()` would spool its file to a temporary file on disk, in
    plaintext. Such a route checks its text fields for NUL itself."""
    setattr(endpoint, _OWN_MULTIPART, True)
    return endpoint


def own_multipart(request: Request) -> bool:
    """Whether the matched route parses its own multipart body (see parses_own_multipart)."""
    return bool(getattr(request.scope.get("endpoint"), _OWN_MULTIPART, False))


async def refuse_nul_in_multipart(request: Request) -> None:
    """App-wide dependency: the text fields of a multipart form, as FastAPI parsed them."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data" or own_multipart(request):
        return  # (a route that parses its own body is never made to spool it here)
    form = await request.form()  # the route's own parse, cached on this request
    locs = [
        ("body",) if NUL in name else ("body", name)
        for name, value in form.multi_items()
        if NUL in name or (isinstance(value, str) and NUL in value)
    ]
    if locs:
        raise _nul_error(locs)
