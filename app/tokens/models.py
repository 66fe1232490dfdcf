"""Long-lived API tokens for the route visualiser."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.catalogs import Role
from app.db import Base, NotData, TimestampMixin, UTCDateTime, UUIDPk, str_enum


class ApiToken(UUIDPk, TimestampMixin, NotData, Base):
    """A bearer token for a program (the visualiser), stored as a SHA-256 hash only.

    Invariant: role is `visualiser`; a revoked token (`revoked_at` set) authenticates nothing.
    """

    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
