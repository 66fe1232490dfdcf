"""Individual work plans (PTI): needs, goals and periodic reviews."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalogs import GoalStatus, PlanDimension, PlanStatus, Priority
from app.db import Base, Sealed, SealedRow, UTCDateTime, UUIDPk, str_enum, utcnow
from app.work.authors import Authored
from app.work.records import DeletableRecord


class Plan(DeletableRecord, Base):
    """A victim's individual plan, drawn from the needs assessment and reviewed periodically.

    `abandoned` is a real outcome (the person chose not to continue), not a deletion.
    """

    __tablename__ = "plans"

    victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id"), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus, "plan_status"))
    next_review_on: Mapped[date | None] = mapped_column(Date, index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    needs: Mapped[list[PlanNeed]] = relationship(lazy="raise", cascade="all, delete-orphan")
    goals: Mapped[list[PlanGoal]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PlanGoal.position"
    )
    reviews: Mapped[list[PlanReview]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PlanReview.reviewed_on"
    )


class PlanNeed(UUIDPk, SealedRow, Base):
    """A need found in the assessment, by dimension, with a priority."""

    __tablename__ = "plan_needs"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), index=True)
    dimension: Mapped[PlanDimension] = mapped_column(str_enum(PlanDimension, "plan_dimension"))
    description = Sealed()
    priority: Mapped[Priority] = mapped_column(str_enum(Priority, "priority"))


class PlanGoal(UUIDPk, SealedRow, Base):
    """A goal of the plan with its due date; reviews move its status."""

    __tablename__ = "plan_goals"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    dimension: Mapped[PlanDimension] = mapped_column(str_enum(PlanDimension, "plan_dimension"))
    description = Sealed()
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[GoalStatus] = mapped_column(str_enum(GoalStatus, "goal_status"))


class PlanReview(UUIDPk, SealedRow, Authored, Base):
    """A periodic review (balance) of the plan: goal statuses at that date and a summary."""

    __tablename__ = "plan_reviews"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    summary = Sealed()
    next_review_on: Mapped[date | None] = mapped_column(Date)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    goal_updates: Mapped[list[PlanReviewGoal]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )


class PlanReviewGoal(UUIDPk, SealedRow, Base):
    """A goal's status as a review left it, with a note."""

    __tablename__ = "plan_review_goals"

    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_reviews.id"), index=True)
    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_goals.id"))
    status: Mapped[GoalStatus] = mapped_column(str_enum(GoalStatus, "goal_status"))
    note = Sealed()
