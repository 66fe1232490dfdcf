"""A small in-process LRU of computed tables, keyed on the database's data version.

Every data write bumps `data_versions.version` inside its own transaction, so a key
(version, parameters) can never name stale figures, whichever worker wrote: the version is
read in the same transaction as the counts. Audit writes leave the version alone, so reading
statistics (which audits nothing about people) never invalidates the cache.

Values are the figures (frozen models, shared by every caller) and, for JSON responses, their
encoded bytes too (`app.etag.Encoded`): a hit then costs a lookup, not the encoding of ~10 KB,
and the bytes' hash is a strong ETag.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from sqlalchemy.orm import Session

from app.db import current_data_version

T = TypeVar("T")


class StatsCache:
    """Thread-safe LRU mapping (data version, key) -> computed value."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[int, Hashable], object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The value cached under `key`, computed (and kept) on a miss.

        One key always names one kind of value (the callers build keys per kind), so what
        comes back is what `compute` returns."""
        # A transaction that wrote data itself sees figures nobody else may ever see
        # (it can still roll back): compute them, but never share them.
        if session.info.get("data_version_bumped"):
            return compute()
        full_key = (current_data_version(session), key)
        with self._lock:
            if full_key in self._items:
                self._items.move_to_end(full_key)
                self.hits += 1
                return cast(T, self._items[full_key])
        value = compute()
        with self._lock:
            self.misses += 1
            self._items[full_key] = value
            self._items.move_to_end(full_key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
