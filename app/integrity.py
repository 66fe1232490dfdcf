"""The integrity flag of read schemas: which fields of a record answered null because their
stored value fails to authenticate where it is (app.db.sealed), and its Spanish rendering
for the pages."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

IntegrityErrors = Annotated[
    list[str],
    Field(
        default_factory=list,
        description=(
            "Fields answered null because their stored value fails to verify in this "
            "record (moved or altered outside the application); the read is audited."
        ),
    ),
]

UNVERIFIABLE_TEXT = "dato no verificable"


def shown(record: Any, field: str, empty: str = "—") -> str:
    """A sealed field for a page: its value, the Spanish notice when it fails to verify,
    else `empty`."""
    value = getattr(record, field, None) if record is not None else None
    if value:
        return str(value)
    if record is not None and field in (getattr(record, "integrity_errors", None) or []):
        return UNVERIFIABLE_TEXT
    return empty
