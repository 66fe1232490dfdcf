"""Keyset pages of work records: newest first, the cursor is the last item's key."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import InvalidInput
from app.pagination import decode_cursor, encode_cursor
from app.work.lifecycle import column

T = TypeVar("T")


def keyset_page(
    session: Session,
    stmt: Select[T],
    keys: Sequence[tuple[InstrumentedAttribute[Any], type]],
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[T], str | None]:
    """Newest first by `keys`; the cursor is the key of the last item returned."""
    cols = [col for col, _ in keys]
    if cursor:
        raw = decode_cursor(cursor, len(keys))
        try:
            values = [_parse(v, kind) for v, (_, kind) in zip(raw, keys, strict=True)]
        except ValueError as exc:
            raise InvalidInput("cursor", "cursor_invalid") from exc
        stmt = stmt.where(tuple_(*cols) < tuple_(*values))
    rows = list(session.scalars(stmt.order_by(*[c.desc() for c in cols]).limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor(*[_value(getattr(last, c.key)) for c in cols])


def dated_page(
    session: Session,
    stmt: Select[T],
    model: type[object],
    date_column: str,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[T], str | None]:
    """The usual work list: by a date, then creation time, then id (all newest first)."""
    keys: list[tuple[InstrumentedAttribute[Any], type]] = [
        (column(model, date_column), date),
        (column(model, "created_at"), datetime),
        (column(model, "id"), uuid.UUID),
    ]
    return keyset_page(session, stmt, keys, limit=limit, cursor=cursor)


def _parse(value: str, kind: type) -> Any:
    if kind is date:
        return date.fromisoformat(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is uuid.UUID:
        return uuid.UUID(value)
    return value


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value
