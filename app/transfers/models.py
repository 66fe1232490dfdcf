"""Transfers of a case from one team to another: proposed, then accepted, rejected or
withdrawn, each step with who and when."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from app.catalogs import Team, TransferReason, TransferStatus
from app.db import Base, Sealed, SealedRow, UTCDateTime, UUIDPk, str_enum
from app.db.base import TimestampMixin, VersionedMixin


class Transfer(UUIDPk, TimestampMixin, VersionedMixin, SealedRow, Base):
    """A proposal to move a case (its victims and all their work) to another team.

    Invariants: `from_team` differs from `to_team`; at most one pending transfer per case
    (a partial unique index); `decided_at` is set exactly when the transfer is no longer
    pending, with `decided_by_id` (who accepted, rejected or withdrew it).
    `note` and `decision_note` are free text (they may hold a name): sealed, and shown only
    to the team that holds the case (so the receiving team reads them after acceptance).
    """

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("from_team <> to_team", name="other_team"),
        CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="decided_when"),
        Index(
            "uq_transfers_one_pending",
            "case_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_transfers_to_team_status", "to_team", "status"),
        Index("ix_transfers_from_team_status", "from_team", "status"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    from_team: Mapped[Team] = mapped_column(str_enum(Team, "from_team"))
    to_team: Mapped[Team] = mapped_column(str_enum(Team, "to_team"))
    reason: Mapped[TransferReason] = mapped_column(str_enum(TransferReason, "transfer_reason"))
    note = Sealed()
    status: Mapped[TransferStatus] = mapped_column(str_enum(TransferStatus, "transfer_status"))
    proposed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note = Sealed()
