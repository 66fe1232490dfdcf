"""Follow-ups: append-only dated entries with the actions they implemented."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalogs import ActionStatus, ActionType, FollowUpKind, Institution
from app.db import Base, Sealed, SealedRow, UTCDateTime, UUIDPk, str_enum, utcnow
from app.work.authors import Authored


class FollowUp(UUIDPk, SealedRow, Authored, Base):
    """A follow-up (`seguimiento`) by a psychologist, lawyer or social worker.

    Append-only: never updated or deleted. A correction is a new entry naming the one it
    `supersedes` (at most one successor each); superseded entries stay in the history but
    leave every count. Narratives of psychological follow-ups are readable only by the
    team's psychologists and the author.
    """

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_victim_occurred", "victim_id", "occurred_on"),)

    victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[FollowUpKind] = mapped_column(str_enum(FollowUpKind, "follow_up_kind"))
    narrative = Sealed()
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("follow_ups.id"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actions: Mapped[list[FollowUpAction]] = relationship(
        back_populates="follow_up", lazy="raise", cascade="all, delete-orphan"
    )


class FollowUpAction(UUIDPk, Base):
    """An action a follow-up implemented (what the report counts as 'acciones')."""

    __tablename__ = "follow_up_actions"

    follow_up_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("follow_ups.id"), index=True)
    type: Mapped[ActionType] = mapped_column(str_enum(ActionType, "action_type"))
    institution: Mapped[Institution | None] = mapped_column(str_enum(Institution, "institution"))
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus, "action_status"))
    # When a planned action is meant to happen: what puts it on the agenda (app/agenda/).
    due_on: Mapped[date | None] = mapped_column(Date)

    follow_up: Mapped[FollowUp] = relationship(back_populates="actions", lazy="raise")
