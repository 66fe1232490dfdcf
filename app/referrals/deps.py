"""The referral a JSON route names in its path (`referral_id`), found for the caller."""

from __future__ import annotations

from typing import Annotated

from app.referrals.models import Referral
from app.referrals.service import REFERRALS
from app.work.api import restorable, writable

WritableReferral = Annotated[Referral, writable(REFERRALS, "referral_id")]
RestorableReferral = Annotated[Referral, restorable(REFERRALS, "referral_id")]
