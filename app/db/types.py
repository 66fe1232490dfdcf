"""Column types: text sealed in the application, timestamps that stay UTC everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import DateTime, Dialect, Text
from sqlalchemy.types import TypeDecorator

from app.crypto import PREFIX

SEALED_PREFIX = f"{PREFIX}."


class EncryptedText(TypeDecorator[str]):
    """The stored form of a sealed value (app.db.sealed): ciphertext in, ciphertext out.

    Sealing needs the row (its id is the associated data), which a column type never
    sees: the models' `Sealed` attributes seal and open. This type only refuses a value
    that is not sealed, so a writer that bypasses them fails loudly instead of storing
    plaintext.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is not None and not value.startswith(SEALED_PREFIX):
            raise ValueError("refusing to store an unsealed value in an encrypted column")
        return value

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return value


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware timestamps on every database: stored as UTC, read back as UTC.

    SQLite keeps no offset, so values would come back naive (and break the API's
    date-time format); PostgreSQL converts to the session's time zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day, tzinfo=UTC)
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
