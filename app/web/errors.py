"""HTML error pages (and the sign-in redirect for 401) outside /api/."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from app.error_texts import error_text
from app.users.models import User
from app.web.respond import redirect, render
from app.web.session import remember_user

TITLES = {
    400: "Solicitud no válida",
    401: "Inicie sesión",
    403: "Acceso denegado",
    404: "No encontrado",
    405: "Acción no disponible",
    409: "Conflicto de edición",
    413: "Archivo demasiado grande",
    422: "Datos no válidos",
    423: "Cuenta bloqueada",
    429: "Demasiados intentos",
}


def render_error(
    request: Request, status: int, kind: str, detail: Any, headers: dict[str, str] | None = None
) -> Response:
    if kind == "otp_required":
        return redirect(request, str(request.app.url_path_for("account:otp")))
    if kind == "password_change_required":
        return redirect(request, str(request.app.url_path_for("account:first-password")))
    if status == 401:
        # Only the local path travels in `next` (never a query string, which could hold data).
        request.state.new_session = ""
        # A form sent without a live session: the session expired while it was being filled
        # in (forms are only shown to someone signed in). The sign-in page says so, and the
        # form's local draft (app/static/calp.js) brings back what was typed.
        expired = "&motivo=expirada" if request.method == "POST" else ""
        return redirect(request, f"/login?next={quote(request.url.path)}{expired}")
    # `detail` is the Spanish text of the error's code; a 422 lists its problems instead,
    # which belong beside the fields of a form, not on an error page.
    message = detail if isinstance(detail, str) else error_text("invalid_input")
    _keep_signed_in_user(request)
    response = render(
        request,
        "error.html",
        {"status": status, "title": TITLES.get(status, "Error"), "message": message},
        status=status,
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _keep_signed_in_user(request: Request) -> None:
    """The page's signed-in person as a plain snapshot, never the request's ORM object.

    An error raised before the page's own dependencies ran (a role check) leaves the user
    read by the request's session, which has closed by now: reading its expired values
    would fail (DetachedInstanceError, a 500 instead of this page). Read it again instead.
    """
    user = getattr(request.state, "user", None)
    if not isinstance(user, User):
        return
    try:
        remember_user(request, user)  # its values may still be loaded
        return
    except SQLAlchemyError:
        identity = inspect(user).identity
    try:
        with request.app.state.session_factory() as session:
            remember_user(request, session.get(User, identity[0]) if identity else None)
    except SQLAlchemyError:  # the database is what failed: the page shows nobody
        request.state.user = None
