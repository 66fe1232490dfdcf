"""Consents per purpose, dated and revocable."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.catalogs import ConsentPurpose
from app.db import Base, TimestampMixin, UUIDPk, VersionedMixin, str_enum
from app.work.authors import Authored


class Consent(UUIDPk, TimestampMixin, VersionedMixin, Authored, Base):
    """A victim's consent for one purpose; revoking keeps the row and dates the revocation.

    A revoked `publication` consent takes the victim out of routes and exports.
    """

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("revoked_on IS NULL OR revoked_on >= given_on", name="revoked_after"),
        Index("ix_consents_victim_purpose", "victim_id", "purpose"),
    )

    victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id"))
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose, "consent_purpose"))
    given_on: Mapped[date] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
