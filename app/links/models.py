"""A link between two victim records found to be the same person."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Sealed, SealedRow
from app.work.records import DeletableRecord

_LIVE = text("deleted_at IS NULL")


class VictimLink(DeletableRecord, SealedRow, Base):
    """Two victim records of one person ("misma persona"), for example attended in 2019
    and again in 2024.

    A link has no direction: the pair is stored in id order (`victim_id` < `other_victim_id`),
    so one pair has at most one live link (a partial unique index) and both victims find it
    the same way. Unlinking soft-deletes the row (kept for the audit trail); linking again
    makes a new one. `reason` is free text about the person: encrypted.
    """

    __tablename__ = "victim_links"
    __table_args__ = (
        CheckConstraint("victim_id < other_victim_id", name="ordered_pair"),
        Index(
            "ix_victim_links_live_pair",
            "victim_id",
            "other_victim_id",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )

    victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id"))
    other_victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id"), index=True)
    reason = Sealed()
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
