"""The home page (sign-in form for visitors) and the static files of the UI."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from app.catalogs import STAFF_ROLES, Role
from app.db import SessionDep
from app.errors import NotFound
from app.web import queries
from app.web.respond import render
from app.web.session import OptionalUser

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".json": "application/json",
}
_STATIC_NAME = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*\.[a-z0-9]+$")

router = APIRouter()


@router.get("/", name="home")
def home(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    """Sign-in form for visitors; the signed-in person's home page otherwise."""
    if user is None:
        from app.users.web import login_page  # the sign-in form lives with the users pages

        return login_page(request, next_path="/")
    context: dict[str, object] = {}
    if user.role in STAFF_ROLES or user.role == Role.coordinator:
        context["cases"] = queries.open_cases(session, user)
        context["reviews"] = queries.reviews_due(session, user)
    return render(request, "pages/home.html", context)


@router.get("/static/{name:path}", name="static")
def static_file(name: str) -> Response:
    """Stylesheets and scripts of the UI (cacheable: they hold no personal data)."""
    path = (STATIC_DIR / name).resolve()
    if (
        not _STATIC_NAME.match(name)
        or STATIC_DIR not in path.parents
        or not path.is_file()
        or path.suffix not in STATIC_TYPES
    ):
        raise NotFound("No such file.")
    media = STATIC_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    return FileResponse(path, media_type=media, headers={"Cache-Control": "public, max-age=3600"})
