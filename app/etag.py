"""JSON bodies sent with a strong ETag, and 304 when the client already holds them.

For aggregate-only responses (statistics, the route visualiser) that clients poll: the
body's hash is the tag, so equal figures give equal tags whatever produced them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

# Clients may keep a copy but must ask again each time (the ETag makes that cheap);
# `private` keeps shared caches out even though the body is aggregate-only.
CACHE_CONTROL = "private, no-cache"


@dataclass(frozen=True, slots=True)
class Encoded:
    """A JSON body exactly as sent, and its strong ETag (a hash of those bytes)."""

    body: bytes
    etag: str


def encode_json(data: Any) -> Encoded:
    """The bytes Starlette's `JSONResponse` sends for `data` (the same call, the same bytes)."""
    body = json.dumps(
        data, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")
    # A hash of the content, not a version number: a version can come back after a backup
    # is restored, and two versions may hold the same figures (a 304 for both).
    return Encoded(body, '"' + hashlib.sha256(body).hexdigest()[:40] + '"')


def encode_model(model: BaseModel) -> Encoded:
    """A model's JSON body: its dump (by alias, in field order), encoded as `encode_json` does."""
    return encode_json(model.model_dump(mode="json", by_alias=True))


def etag_response(
    request: Request, encoded: Encoded, media_type: str = "application/json"
) -> Response:
    """The body with its ETag; 304 when `If-None-Match` names it (or `*`)."""
    headers = {
        "ETag": encoded.etag,
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Authorization, Cookie",
    }
    wanted = [
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("if-none-match", "").split(",")
    ]
    if encoded.etag in wanted or "*" in wanted:
        return Response(status_code=304, headers=headers)
    return Response(encoded.body, media_type=media_type, headers=headers)
