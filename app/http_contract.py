"""Framework errors brought in line with the API contract (api.md, /openapi.json).

- A body FastAPI cannot parse (bytes that are not UTF-8, JSON nested past the parser's
  limit, a form without its boundary) is raised as a bare 400, a kind the contract does
  not have: it is invalid input like any other, a 422 `validation_error` at `["body"]`.
- A 405 comes from the first route whose path matched, and FastAPI makes one route per
  method: its `Allow` named one method where the path serves several. It names them all.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import iter_route_contexts


def unparseable_body(request: Request) -> dict[str, Any]:
    """The validation error of a body that could not be parsed (never its content)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    is_json = not media or media == "application/json" or media.endswith("+json")
    return {
        "loc": ("body",),
        "msg": "The request body could not be parsed",
        "type": "json_invalid" if is_json else "value_error",
    }


def allowed_methods(request: Request) -> str:
    """The methods of the path that routing matched first, for the `Allow` header.

    The path is the template of the first route matching the URL (in routing order, as
    /openapi.json names it): `/victims/search` is that path, not `/victims/{victim_id}`.
    """
    path = request.scope["path"]
    routes = [r for r in iter_route_contexts(request.app.routes) if r.path_regex.match(path)]
    if not routes:
        return ""
    template = routes[0].path_format
    methods = {m for r in routes if r.path_format == template for m in r.methods or ()}
    return ", ".join(sorted(methods))
