"""Detections: good and bad practices of State institutions witnessed in a case."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalogs import AttentionStage, Institution, Polarity, PracticeCategory
from app.db import Base, Sealed, SealedRow, str_enum
from app.work.records import DeletableRecord

if TYPE_CHECKING:
    from app.cases.models import Case


class Detection(DeletableRecord, SealedRow, Base):
    """A practice (good or bad) of an institution, evidence for advocacy (Tablas 17-18)."""

    __tablename__ = "detections"
    __table_args__ = (Index("ix_detections_detected_on", "detected_on"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    detected_on: Mapped[date] = mapped_column(Date)
    polarity: Mapped[Polarity] = mapped_column(str_enum(Polarity, "polarity"))
    category: Mapped[PracticeCategory] = mapped_column(
        str_enum(PracticeCategory, "practice_category")
    )
    institution: Mapped[Institution] = mapped_column(str_enum(Institution, "institution"))
    stage: Mapped[AttentionStage | None] = mapped_column(
        str_enum(AttentionStage, "attention_stage")
    )
    description = Sealed()
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="detections", lazy="raise")
