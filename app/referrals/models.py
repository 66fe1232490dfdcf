"""Referrals to and from institutions, with the other system's reference."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.catalogs import ExternalRefKind, Institution, ReferralDirection, ReferralOutcome
from app.db import Base, Sealed, SealedRow, str_enum
from app.work.records import DeletableRecord


class Referral(DeletableRecord, SealedRow, Base):
    """A referral (`derivación`) in or out, so CALP can reconcile with State records.

    `external_ref` (a fiscal file number, a police complaint...) is encrypted: it can
    lead to the person.
    """

    __tablename__ = "referrals"

    victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id"), index=True)
    direction: Mapped[ReferralDirection] = mapped_column(
        str_enum(ReferralDirection, "referral_direction")
    )
    institution: Mapped[Institution] = mapped_column(str_enum(Institution, "institution"))
    referred_on: Mapped[date] = mapped_column(Date)
    reason = Sealed()
    outcome: Mapped[ReferralOutcome | None] = mapped_column(
        str_enum(ReferralOutcome, "referral_outcome")
    )
    external_ref_kind: Mapped[ExternalRefKind | None] = mapped_column(
        str_enum(ExternalRefKind, "external_ref_kind")
    )
    external_ref = Sealed()
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
