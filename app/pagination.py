"""Opaque cursors for keyset pagination (`?limit=&cursor=` → `items` + `next_cursor`).

A cursor is the sort key of the last item returned, base64-encoded JSON: stable under
inserts, served by an index, and it reveals nothing but that key.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar, get_args

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict

from app.errors import InvalidInput

ItemT = TypeVar("ItemT")
KeyT = TypeVar("KeyT")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (max 500)")]
Cursor = Annotated[
    str | None, Query(max_length=512, description="Opaque cursor from `next_cursor`")
]


@dataclass(frozen=True)
class PageQuery:
    """The `?limit=&cursor=` of a list endpoint."""

    limit: int = DEFAULT_LIMIT
    cursor: str | None = None

    def as_kwargs(self) -> dict[str, Any]:
        """`limit=` and `cursor=` for a list function with many filters of its own."""
        return {"limit": self.limit, "cursor": self.cursor}


def page_query(limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> PageQuery:
    """The two paging parameters as one dependency.

    FastAPI lists a dependency's query parameters after the endpoint's own, so an endpoint
    with a query parameter after `limit` and `cursor` (detections, follow-ups) keeps them
    as parameters of its own: the OpenAPI order stays as it was.
    """
    return PageQuery(limit=limit, cursor=cursor)


Paging = Annotated[PageQuery, Depends(page_query)]


def _last_page_example(schema: dict[str, Any], model: type[Any]) -> None:
    """A page's example: the item model's first example, alone on a last page."""
    (item,) = get_args(model.model_fields["items"].annotation)
    examples = (getattr(item, "model_config", {}).get("json_schema_extra") or {}).get("examples")
    if examples:
        schema["examples"] = [{"items": [examples[0]], "next_cursor": None}]


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: its items and the cursor of the next page (null on the last).

    Each list subclasses it under its own name, the name the OpenAPI document shows
    (`class DetectionList(Page[DetectionRead])`); its example is built from the item's
    first example unless the subclass declares its own `model_config`.
    """

    model_config = ConfigDict(json_schema_extra=_last_page_example)

    items: list[ItemT]
    next_cursor: str | None = None


def encode_cursor(*values: Any) -> str:
    raw = json.dumps([str(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_dated_cursor(cursor: str, parse: Callable[[str], KeyT]) -> tuple[KeyT, uuid.UUID]:
    """A (date or time, id) cursor as typed values; 422 for anything we did not issue."""
    value, ident = decode_cursor(cursor, 2)
    try:
        return parse(value), uuid.UUID(ident)
    except ValueError as exc:
        raise InvalidInput("cursor", "cursor_invalid") from exc


def decode_cursor(cursor: str, arity: int) -> list[str]:
    """The key values inside a cursor; 422 for anything we did not issue."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor", "cursor_invalid") from exc
    if (
        not isinstance(values, list)
        or len(values) != arity
        or not all(isinstance(v, str) for v in values)
    ):
        raise InvalidInput("cursor", "cursor_invalid")
    return values
