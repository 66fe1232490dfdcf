"""Referral pages: the new referral form (its route is app.work.new_web's, shared with the
follow-up and plan forms because the URL names the kind)."""

from __future__ import annotations

from app.db import today
from app.referrals import service as referrals
from app.referrals.schemas import ReferralCreate
from app.work.forms import WorkForm

NEW_FORM = WorkForm(
    "referrals/new.html",
    lambda s, v, body, u: referrals.REFERRALS.create(
        s, v, ReferralCreate.model_validate(body), actor=u
    ),
    lambda v: {"referred_on": today().isoformat(), "direction": "out"},
)
