"""Who wrote a record: its `author` (id and full name), read in one batch per session.

Every record of case work stores its author's id (`created_by_id`, or `author_id` for
follow-ups, plans and reviews). Lists show the author's name beside each entry, and a
relationship per model would need an eager-load option in every query that lists records
(and raise where one is forgotten). Instead the first `record.author` read in a session looks
up the authors of every record the session holds at that moment in one query, and keeps them
in `session.info`: a page of 50 follow-ups costs one extra query, never 50.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, object_session

from app.users.models import User

_CACHE = "calp_authors"


@dataclass(frozen=True)
class Author:
    id: uuid.UUID
    full_name: str


def _author_id(record: object) -> uuid.UUID | None:
    # The loaded value only: reading an expired attribute would load each row on its own.
    state: Any = inspect(record)
    values = state.dict
    found: uuid.UUID | None = values.get("author_id", values.get("created_by_id"))
    if found is None and "author_id" not in values and "created_by_id" not in values:
        found = getattr(record, "author_id", None) or getattr(record, "created_by_id", None)
    return found


def author_of(record: object) -> Author | None:
    """The author of a record held by a session (None: unknown, imported or older data)."""
    author_id = _author_id(record)
    session = object_session(record)
    if author_id is None or session is None:
        return None
    cache: dict[uuid.UUID, Author | None] = session.info.setdefault(_CACHE, {})
    if author_id not in cache:
        _load(session, cache, {author_id})
    return cache[author_id]


def authors_by_id(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Author]:
    """The authors of rows read as columns (not entities), in one query for all of them."""
    wanted = {i for i in ids if i is not None}
    cache: dict[uuid.UUID, Author | None] = session.info.setdefault(_CACHE, {})
    if wanted - cache.keys():
        _load(session, cache, wanted - cache.keys())
    return {i: found for i in wanted if (found := cache[i]) is not None}


def _load(session: Session, cache: dict[uuid.UUID, Author | None], wanted: set[uuid.UUID]) -> None:
    ids = set(wanted)
    for held in list(session.identity_map.values()):
        if isinstance(held, Authored):
            values = inspect(held).dict
            found = values.get("author_id", values.get("created_by_id"))
            if found is not None and found not in cache:
                ids.add(found)
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    for user_id, full_name in rows:
        cache[user_id] = Author(user_id, full_name)
    for missing in ids - cache.keys():
        cache[missing] = None


class Authored:
    """A record with an author: `record.author` is `Author | None` (see the module)."""

    @property
    def author(self) -> Author | None:
        return author_of(self)
