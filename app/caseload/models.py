"""Assignments of staff to cases, kept with their history (the `case_staff` table)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalogs import Responsibility
from app.db import Base, TimestampMixin, UUIDPk, str_enum

if TYPE_CHECKING:
    from app.users.models import User

# The current assignments: those not ended. Both partial indexes keep the rules in the
# database too, so two requests racing cannot leave two leads on one case.
_CURRENT = text("until IS NULL")
_CURRENT_LEAD = text("until IS NULL AND responsibility = 'lead'")


class Assignment(UUIDPk, TimestampMixin, Base):
    """One member of a case's team in charge of one part of the work (`lead`, or the
    psychological, legal or social attention), from `since` until `until` (null: current).

    Invariants: at most one current lead per case; a user holds a responsibility on a case
    at most once at a time; `until`, once set, is not before `since`. Ending keeps the row.
    """

    __tablename__ = "case_staff"
    __table_args__ = (
        CheckConstraint("until IS NULL OR until >= since", name="until_after_since"),
        Index(
            "uq_case_staff_current_lead",
            "case_id",
            unique=True,
            sqlite_where=_CURRENT_LEAD,
            postgresql_where=_CURRENT_LEAD,
        ),
        Index(
            "uq_case_staff_current",
            "case_id",
            "user_id",
            "responsibility",
            unique=True,
            sqlite_where=_CURRENT,
            postgresql_where=_CURRENT,
        ),
        Index("ix_case_staff_user_until", "user_id", "until"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    responsibility: Mapped[Responsibility] = mapped_column(
        str_enum(Responsibility, "responsibility")
    )
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(lazy="raise", foreign_keys=[user_id])
