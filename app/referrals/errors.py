"""Errors of the referrals domain."""

from __future__ import annotations

from app.errors import NotFound


class ReferralNotFound(NotFound):
    code = "referral_not_found"
