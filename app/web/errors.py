"""HTML error pages (and the sign-in redirect for 401) outside /api/."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.templating import templates

TITLES = {401: "Inicie sesión", 403: "Acceso denegado", 404: "No encontrado",
          409: "Conflicto de edición", 422: "Datos no válidos", 423: "Cuenta bloqueada",
          429: "Demasiados intentos"}


def render_error(request: Request, status: int, kind: str, detail: Any,
                 headers: dict[str, str] | None = None) -> Response:
    if status == 401:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    message = detail if isinstance(detail, str) else TITLES.get(status, "Error")
    response: HTMLResponse = templates.TemplateResponse(
        request, "error.html",
        {"status": status, "title": TITLES.get(status, "Error"), "message": message},
        status_code=status, headers=headers)
    return response
