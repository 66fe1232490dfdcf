"""Sealed attributes: encrypted values bound to their table, column and row.

A model declares ``narrative = Sealed()``: the database column keeps the name
(``narrative``) and holds the ciphertext through a private mapped attribute
(``_narrative``), while the public attribute seals on set and opens on get, with
``<table>|<column>|<row id>`` as associated data (app.crypto). A ciphertext moved into
another row or column by SQL then fails to authenticate: the attribute reads as None, the
field is named in the record's `integrity_errors`, the failure is logged (never a value)
and handed to the listeners (the audit domain records it). Never a 500.

The row id must be known to seal. A value set before it is (a new row whose UUID is given
at INSERT, an identity whose key comes from its victim at flush) waits on the instance and
is sealed just before the INSERT, when the id is there.

Writers that bypass the attributes (Core bulk inserts) seal their rows with `seal_rows`;
the column type refuses anything unsealed, so a forgotten writer fails instead of storing
plaintext.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any, overload

from sqlalchemy import Table, Uuid, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, Session, mapped_column, object_session

from app.crypto import Binding, DecryptionError, bind, get_keyring
from app.db.types import EncryptedText

log = logging.getLogger("calp.integrity")

# Keys of the instance's __dict__ (beside SQLAlchemy's own): values waiting for the row id,
# values opened (with the ciphertext they came from), fields that failed to authenticate.
_PENDING = "_sealed_pending"
_OPENED = "_sealed_opened"
_FAILED = "_sealed_failed"

_FIELDS: dict[type, tuple[str, ...]] = {}
_PK_KEYS: dict[type, tuple[str, ...]] = {}

UnverifiableListener = Callable[[Session | None, Binding], None]
_listeners: list[UnverifiableListener] = []


def on_unverifiable(listener: UnverifiableListener) -> None:
    """Call `listener(session, binding)` whenever a read meets a value that fails to
    authenticate (the audit domain records an event; the foundation imports no domain)."""
    if listener not in _listeners:
        _listeners.append(listener)


class SealedRow:
    """Mixin of every model with `Sealed` attributes."""

    @property
    def integrity_errors(self) -> list[str]:
        """Names of the sealed fields whose stored value fails to authenticate here."""
        names = sealed_fields(type(self))
        for name in names:
            getattr(self, name)  # opens (once) what was not read yet
        failed: set[str] = self.__dict__.get(_FAILED, set())
        return [n for n in names if n in failed]

    def holds(self, name: str) -> bool:
        """Whether the sealed field `name` holds a value, without opening it."""
        pending = self.__dict__.get(_PENDING) or {}
        return name in pending or getattr(self, f"_{name}") is not None


class Sealed:
    """The public attribute of an encrypted column (see the module's docstring)."""

    def __init__(self, *, deferred: bool = False) -> None:
        self.deferred = deferred
        self.name = self.private = self.table = ""

    def __set_name__(self, owner: type, name: str) -> None:
        if not issubclass(owner, SealedRow):
            raise TypeError(f"{owner.__name__} has Sealed attributes: inherit SealedRow")
        self.name, self.private = name, f"_{name}"
        self.table = owner.__dict__["__tablename__"]
        # Added before the declarative scan of the class: mapped like any column.
        setattr(owner, self.private, mapped_column(name, EncryptedText, deferred=self.deferred))

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Sealed: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> str | None: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Sealed | str | None:
        if obj is None:
            return self  # not an SQL expression: a query must name the private column
        state = obj.__dict__
        pending = state.get(_PENDING)
        if pending and self.name in pending:
            return pending[self.name]  # type: ignore[no-any-return]
        stored: str | None = getattr(obj, self.private)
        if stored is None:
            return None
        opened: dict[str, tuple[str, str | None]] = state.setdefault(_OPENED, {})
        hit = opened.get(self.name)
        if hit is not None and hit[0] == stored:
            return hit[1]
        binding = self.binding(obj)
        plain: str | None
        try:
            plain = get_keyring().open(stored, binding)
            state.get(_FAILED, set()).discard(self.name)
        except DecryptionError:
            plain = None
            _unverifiable(obj, binding)
        opened[self.name] = (stored, plain)
        return plain

    def __set__(self, obj: object, value: str | None) -> None:
        state = obj.__dict__
        state.get(_OPENED, {}).pop(self.name, None)
        state.get(_FAILED, set()).discard(self.name)
        state.get(_PENDING, {}).pop(self.name, None)
        row = row_id(obj)
        if value is not None and row is None:
            state.setdefault(_PENDING, {})[self.name] = value
            return
        sealed = None if value is None else get_keyring().seal(value, self.binding(obj, row))
        setattr(obj, self.private, sealed)
        if sealed is not None:
            state.setdefault(_OPENED, {})[self.name] = (sealed, value)

    def binding(self, obj: object, row: str | None = None) -> Binding:
        row = row or row_id(obj)
        if row is None:
            raise RuntimeError(f"{self.table}.{self.name}: the row id is not known yet")
        return bind(self.table, self.name, row)


def sealed_fields(cls: type) -> tuple[str, ...]:
    """Names of the `Sealed` attributes of a model class, in declaration order."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(
            name
            for klass in reversed(cls.__mro__)
            for name, attr in vars(klass).items()
            if isinstance(attr, Sealed)
        )
    return names


def row_id(obj: object) -> str | None:
    """The primary key as bound into the associated data; None while not known."""
    values = [getattr(obj, key) for key in _pk_keys(type(obj))]
    if any(v is None for v in values):
        return None
    return ",".join(str(v) for v in values)


def _pk_keys(cls: type) -> tuple[str, ...]:
    keys = _PK_KEYS.get(cls)
    if keys is None:
        mapper: Mapper[Any] = sa_inspect(cls)
        keys = _PK_KEYS[cls] = tuple(
            mapper.get_property_by_column(c).key for c in mapper.primary_key
        )
    return keys


def _unverifiable(obj: object, binding: Binding) -> None:
    obj.__dict__.setdefault(_FAILED, set()).add(binding.column)
    log.warning(
        "stored value of %s.%s in row %s fails to authenticate (moved or altered?)",
        binding.table,
        binding.column,
        binding.row,
    )
    session = object_session(obj)
    for listener in _listeners:
        listener(session, binding)


@event.listens_for(Mapper, "before_insert")
def _seal_pending(mapper: Mapper[Any], connection: Any, target: object) -> None:
    """Seal the values set before the row id was known, now that it is (or is given)."""
    pending: dict[str, str] | None = target.__dict__.pop(_PENDING, None)
    if not pending:
        return
    for key, column in zip(_pk_keys(type(target)), mapper.primary_key, strict=True):
        if getattr(target, key) is None and isinstance(column.type, Uuid):
            setattr(target, key, uuid.uuid4())  # what the column default would have given
    for name, value in pending.items():
        setattr(target, name, value)


def sealed_columns(table: Table) -> list[str]:
    """Names of the table's encrypted columns."""
    return [c.name for c in table.c if isinstance(c.type, EncryptedText)]


def seal_rows(table: Table, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for a Core INSERT into `table` with their plaintexts sealed in place.

    Each row must carry its primary key (the bulk loaders make their UUIDs up front)."""
    names = sealed_columns(table)
    pk = [c.name for c in table.primary_key.columns]
    keyring = get_keyring()
    out = []
    for row in rows:
        if names:
            row = dict(row)
            row_key = ",".join(str(row[k]) for k in pk)
            for name in names:
                if row.get(name) is not None:
                    row[name] = keyring.seal(row[name], bind(table.name, name, row_key))
        out.append(row)
    return out
