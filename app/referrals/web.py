"""Referral pages: the new referral form (its route is app.work.new_web's, shared with the
follow-up and plan forms because the URL names the kind), with the consent that would cover
it and the override; and the coordinator's list of consent overrides."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.consents.service import data_sharing_consents, live_data_sharing
from app.db import SessionDep, today
from app.referrals import consent
from app.referrals import service as referrals
from app.referrals.schemas import ReferralCreate
from app.users.models import User
from app.victims.models import Victim
from app.web.respond import render
from app.web.session import WebUser
from app.work.forms import WorkForm

router = APIRouter()

# The form's override checkbox; its reason is the `consent_override.reason` textarea.
OVERRIDE_BOX = "override"


def _save(session: Session, victim: Victim, body: dict[str, Any], user: User) -> object:
    """The posted form as the API's body: the reason counts only when the box is ticked
    (a ticked box without a reason is the reason's own error)."""
    if body.pop(OVERRIDE_BOX, None) is None:
        body.pop("consent_override", None)
    else:
        body.setdefault("consent_override", {})
    return referrals.create_referral(
        session, victim, ReferralCreate.model_validate(body), actor=user
    )


def _consents(session: Session, victim: Victim) -> dict[str, Any]:
    """The victim's data-sharing consents, and whether one is live today, for the form."""
    return {
        "sharing_consents": data_sharing_consents(session, victim.id),
        "live_consent": live_data_sharing(session, victim.id, today()),
    }


NEW_FORM = WorkForm(
    "referrals/new.html",
    _save,
    lambda v, u: {"referred_on": today().isoformat(), "direction": "out"},
    context=_consents,
)


@router.get("/derivaciones/excepciones-de-consentimiento", name="referrals:overrides")
def overrides_page(request: Request, session: SessionDep, user: WebUser) -> Response:
    """Outgoing referrals made without a live consent, in the coordinator's teams."""
    rows = consent.overrides(session, user)
    return render(request, "referrals/overrides.html", {"rows": rows})
