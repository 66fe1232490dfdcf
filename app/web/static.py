"""The static files of the UI (stylesheets, scripts, icons), served under `/static/`."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from app.errors import NotFound

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
        raise NotFound()
    media = STATIC_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    return FileResponse(path, media_type=media, headers={"Cache-Control": "public, max-age=3600"})
