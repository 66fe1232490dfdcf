"""Referrals in and out: the domain's rules, declared once in `REFERRALS` (create, list,
edit, soft-delete and restore are the kind's)."""

from __future__ import annotations

from app.catalogs import ReferralDirection
from app.referrals.errors import ReferralNotFound
from app.referrals.models import Referral
from app.work.kinds import Check, DeletableKind

REQUIRED = ("direction", "institution", "referred_on", "reason")
# Checked together, on the record as it will be, whenever one of them is sent.
DATED = {"direction", "referred_on", "external_ref", "external_ref_kind"}


def _check(c: Check[Referral]) -> None:
    c.problems.required(c.sent, REQUIRED)
    if not c.touches(DATED):
        return
    # A referral received may predate the case: it is how the person reached CALP.
    floor = c.opened_on() if c["direction"] == ReferralDirection.outgoing else None
    c.problems.past_date("referred_on", c["referred_on"], not_before=floor)
    if c["external_ref"] and c["external_ref_kind"] is None:
        c.problems.add("external_ref_kind", "external_ref_kind_required")


REFERRALS = DeletableKind(
    Referral, "referral", ReferralNotFound, dated_by="referred_on", check=_check
)
