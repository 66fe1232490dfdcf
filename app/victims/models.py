"""Victims (persons attended within a case), their identity and their route."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalogs import (
    CaptureModality,
    DocumentType,
    EducationLevel,
    IndigenousLanguage,
    MigrationStatus,
    Region,
    RouteStage,
    Sex,
    TraffickerRelation,
    TraffickingPurpose,
    Typology,
    ViolenceAnswer,
)
from app.db import (
    Base,
    Sealed,
    SealedRow,
    SoftDeleteMixin,
    TimestampMixin,
    UUIDPk,
    VersionedMixin,
    str_enum,
)
from app.routes.cellkey import new_record_key
from app.work.authors import Authored

if TYPE_CHECKING:
    from app.cases.models import Case


def _violence(kind: str) -> Mapped[ViolenceAnswer]:
    return mapped_column(
        str_enum(ViolenceAnswer, f"violence_{kind}"), default=ViolenceAnswer.not_recorded
    )


class Victim(UUIDPk, TimestampMixin, VersionedMixin, SoftDeleteMixin, Authored, Base):
    """A person attended within a case: the profile the statistics count.

    Invariants: `trafficking_purpose` is set exactly when `typology` is trafficking;
    `age_at_intake` is always known (given or derived from the birth date); nothing in
    this table identifies the person: names, document, contact and birth date live,
    encrypted, in `victim_identities`.
    """

    __tablename__ = "victims"
    __table_args__ = (
        CheckConstraint(
            "(typology = 'trafficking') = (trafficking_purpose IS NOT NULL)",
            name="purpose_only_for_trafficking",
        ),
        CheckConstraint("age_at_intake >= 0 AND age_at_intake <= 120", name="age_range"),
        CheckConstraint(
            "length(nationality) = 2 AND upper(nationality) = nationality", name="nationality_iso"
        ),
        Index("ix_victims_intake_on", "intake_on"),
        Index("ix_victims_case_id", "case_id"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    code: Mapped[str] = mapped_column(String(24), unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    intake_on: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "sex"))
    age_at_intake: Mapped[int] = mapped_column(Integer)
    nationality: Mapped[str] = mapped_column(String(2))
    typology: Mapped[Typology] = mapped_column(str_enum(Typology, "typology"))
    trafficking_purpose: Mapped[TraffickingPurpose | None] = mapped_column(
        str_enum(TraffickingPurpose, "trafficking_purpose")
    )
    capture_modality: Mapped[CaptureModality | None] = mapped_column(
        str_enum(CaptureModality, "capture_modality")
    )
    trafficker_relation: Mapped[TraffickerRelation | None] = mapped_column(
        str_enum(TraffickerRelation, "trafficker_relation")
    )
    education_level: Mapped[EducationLevel | None] = mapped_column(
        str_enum(EducationLevel, "education_level")
    )
    disability: Mapped[bool | None] = mapped_column(Boolean)
    indigenous_language: Mapped[IndigenousLanguage | None] = mapped_column(
        str_enum(IndigenousLanguage, "indigenous_language")
    )
    migration_status: Mapped[MigrationStatus | None] = mapped_column(
        str_enum(MigrationStatus, "migration_status")
    )
    reflection_until: Mapped[date | None] = mapped_column(Date)
    # One column per violence type: Tabla 16 is then one pass of conditional sums.
    violence_psychological: Mapped[ViolenceAnswer] = _violence("psychological")
    violence_sexual: Mapped[ViolenceAnswer] = _violence("sexual")
    violence_physical: Mapped[ViolenceAnswer] = _violence("physical")
    violence_family: Mapped[ViolenceAnswer] = _violence("family")
    violence_economic: Mapped[ViolenceAnswer] = _violence("economic")
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The record key of the route map's cell-key method (app/routes/cellkey.py): random,
    # drawn once at insert (Core bulk inserts too), never published.
    route_key: Mapped[int] = mapped_column(Integer, default=new_record_key)

    case: Mapped[Case] = relationship(back_populates="victims", lazy="raise")
    identity: Mapped[VictimIdentity | None] = relationship(
        back_populates="victim", lazy="raise", cascade="all, delete-orphan", uselist=False
    )
    route: Mapped[list[RouteLeg]] = relationship(
        back_populates="victim",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="RouteLeg.position",
    )


class VictimIdentity(SealedRow, Base):
    """The only identifying data of a victim, every value encrypted in the application.

    `document_index` is a keyed HMAC of the normalised document number (blind index):
    exact lookup without storing the number. Anonymisation deletes this row.
    """

    __tablename__ = "victim_identities"

    victim_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("victims.id", ondelete="CASCADE"), primary_key=True
    )
    given_names = Sealed()
    family_names = Sealed()
    document_type: Mapped[DocumentType | None] = mapped_column(
        str_enum(DocumentType, "document_type")
    )
    document_number = Sealed()
    document_index: Mapped[str | None] = mapped_column(String(64), index=True)
    phone = Sealed()
    address = Sealed()
    birth_date = Sealed()

    victim: Mapped[Victim] = relationship(back_populates="identity", lazy="raise")


class RouteLeg(UUIDPk, Base):
    """One place of a victim's route, in order: capture, then transits, then exploitation."""

    __tablename__ = "route_legs"
    __table_args__ = (
        CheckConstraint("country = 'PE' OR region IS NULL", name="region_only_in_peru"),
        CheckConstraint("length(country) = 2 AND upper(country) = country", name="country_iso"),
        Index("ix_route_legs_victim_position", "victim_id", "position", unique=True),
    )

    victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    stage: Mapped[RouteStage] = mapped_column(str_enum(RouteStage, "route_stage"))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[Region | None] = mapped_column(str_enum(Region, "region"))

    victim: Mapped[Victim] = relationship(back_populates="route", lazy="raise")
