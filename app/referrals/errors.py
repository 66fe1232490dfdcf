"""Errors of the referrals domain."""

from __future__ import annotations

from app.errors import NotFound


class ReferralNotFound(NotFound):
    def default_detail(self) -> str:
        return "Referral not found."
