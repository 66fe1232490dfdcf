"""Protection measures granted to a victim by an institution."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.catalogs import Institution, ProtectionMeasureKind
from app.db import Base, str_enum
from app.work.records import DeletableRecord


class ProtectionMeasure(DeletableRecord, Base):
    """A dated protection measure (identity reserve, shelter, no-contact order...)."""

    __tablename__ = "protection_measures"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= granted_on", name="ends_after_granted"),
    )

    victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id"), index=True)
    kind: Mapped[ProtectionMeasureKind] = mapped_column(
        str_enum(ProtectionMeasureKind, "protection_measure_kind")
    )
    institution: Mapped[Institution] = mapped_column(str_enum(Institution, "institution"))
    granted_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
