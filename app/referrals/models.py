"""Referrals to and from institutions, with the other system's reference."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.catalogs import ExternalRefKind, Institution, ReferralDirection, ReferralOutcome
from app.db import Base, Sealed, SealedRow, UTCDateTime, str_enum
from app.work.records import DeletableRecord


class Referral(DeletableRecord, SealedRow, Base):
    """A referral (`derivación`) in or out, so CALP can reconcile with State records.

    `external_ref` (a fiscal file number, a police complaint...) is encrypted: it can
    lead to the person.

    An outgoing referral shares the person's data, so it records what allows it: the
    `data_sharing` consent live on `referred_on` (`consent_id`), or an override recorded by
    a worker in an emergency (its reason encrypted, like every free text; who and when in
    the clear, for the coordinator's list). Referrals made before that rule have neither.
    `consent_overridden_at` is what says there is an override: anonymisation clears the
    reason and keeps the fact.
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
    consent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("consents.id"), index=True)
    consent_override_reason = Sealed()
    consent_overridden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_overridden_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    @property
    def consent_override(self) -> dict[str, str | None] | None:
        """The override as the API shows it: its reason, or None when there is none."""
        if self.consent_overridden_at is None:
            return None
        return {"reason": self.consent_override_reason}
