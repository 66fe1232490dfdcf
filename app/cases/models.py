"""Cases: one intake event handled by one team, with its status history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalogs import CaseStatus, CloseReason, Institution, Team
from app.db import Base, Sealed, SealedRow, UTCDateTime, UUIDPk, str_enum
from app.work.records import DeletableRecord

if TYPE_CHECKING:
    from app.detections.models import Detection
    from app.victims.models import Victim


def _opening_team(context: Any) -> Any:
    return context.get_current_parameters()["team"]


class Case(DeletableRecord, SealedRow, Base):
    """A case (`caso`): one intake event of one team, with one or more victims.

    Invariants: `code` is `<TEAM>-<year>-<seq>` and unique; `closed_on` and `close_reason`
    are set exactly when `status` is closed; `summary` is encrypted (free text can hold names).
    """

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL AND close_reason IS NOT NULL)",
            name="closed_fields",
        ),
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"),
        UniqueConstraint("team", "year", "seq", name="uq_cases_team_year_seq"),
        Index("ix_cases_team_opened", "team", "opened_on"),
        Index("ix_cases_opened_by_team_opened", "opened_by_team", "opened_on"),
        Index("ix_cases_opened_on", "opened_on"),
        # `?q=42` finds case number 42 of every team and year (code_filter: seq = 42): without
        # it PostgreSQL walks ix_cases_opened_on backwards through most of the table.
        Index("ix_cases_seq", "seq"),
    )

    code: Mapped[str] = mapped_column(String(20), unique=True)
    team: Mapped[Team] = mapped_column(str_enum(Team, "team"))
    # The team in charge (`team`) changes with an accepted transfer; statistics keep
    # counting the case where it was opened. Writers that leave it out open it for `team`.
    opened_by_team: Mapped[Team] = mapped_column(
        str_enum(Team, "opened_by_team"), default=_opening_team
    )
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "case_status"), index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[CloseReason | None] = mapped_column(str_enum(CloseReason, "close_reason"))
    referred_by: Mapped[Institution | None] = mapped_column(str_enum(Institution, "institution"))
    summary = Sealed()
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    victims: Mapped[list[Victim]] = relationship(
        back_populates="case", lazy="raise", order_by="Victim.seq"
    )
    detections: Mapped[list[Detection]] = relationship(back_populates="case", lazy="raise")
    status_changes: Mapped[list[CaseStatusChange]] = relationship(
        back_populates="case", lazy="raise", order_by="CaseStatusChange.at"
    )


class CaseStatusChange(UUIDPk, SealedRow, Base):
    """One transition of a case's life (open → follow_up → closed, reopen), timestamped."""

    __tablename__ = "case_status_changes"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    from_status: Mapped[CaseStatus | None] = mapped_column(str_enum(CaseStatus, "from_status"))
    to_status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "to_status"))
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    close_reason: Mapped[CloseReason | None] = mapped_column(str_enum(CloseReason, "close_reason"))
    note = Sealed()
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="status_changes", lazy="raise")


class CaseCounter(Base):
    """Last sequence number used per team and year (case codes are gapless per team/year)."""

    __tablename__ = "case_counters"

    team: Mapped[Team] = mapped_column(str_enum(Team, "team"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
