"""Consent pages: the form for a consent a victim gave for one purpose, and its revocation
(the consent stays on record, dated as revoked)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.consents import service as consents
from app.consents.schemas import ConsentCreate, ConsentRevoke
from app.db import SessionDep, today
from app.errors import Conflict
from app.referrals.service import under_consent
from app.victims.service import VICTIMS
from app.web.forms import PostedForm, conflict_text, parse_id, values_of
from app.web.once import single_use
from app.web.session import WebUser
from app.web.submit import form_page, submit_record

router = APIRouter()


@router.get("/victimas/{victim_id}/consentimientos/registrar", name="consents:new")
def consent_form(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """The form for a consent the victim gave for one purpose."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))
    return form_page(
        request, "consents/new.html", victim=victim, values={"given_on": today().isoformat()}
    )


@router.post("/victimas/{victim_id}/consentimientos/registrar", name="consents:create")
@single_use
def consent_create(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, form: PostedForm
) -> Response:
    """Record the consent; one in force per purpose (else the form explains why)."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))

    def purpose_taken(exc: Conflict) -> tuple[dict[str, Any], dict[str, str]]:
        message = conflict_text(exc)
        return values_of(form), {"__all__": message, "purpose": message}

    return submit_record(
        request,
        session,
        form,
        "consents/new.html",
        lambda body: consents.create_consent(
            session, victim, ConsentCreate.model_validate(body), actor=user
        ),
        victim_id=victim.id,
        notice="creado",
        on_conflict=purpose_taken,
        victim=victim,
    )


@router.get("/consentimientos/{consent_id}/revocar", name="consents:revoke")
def revoke_form(request: Request, session: SessionDep, user: WebUser, consent_id: str) -> Response:
    """Ask for the revocation date (the consent stays on record, dated as revoked)."""
    consent = consents.CONSENTS.writable(session, user, parse_id(consent_id))
    if consent.revoked_on is not None:
        raise Conflict("consent_already_revoked")
    return form_page(
        request,
        "consents/revoke.html",
        consent=consent,
        values={"revoked_on": today().isoformat(), "version": str(consent.version)},
        referrals=under_consent(session, consent.id),
    )


@router.post("/consentimientos/{consent_id}/revocar", name="consents:revoke:submit")
def revoke_submit(
    request: Request, session: SessionDep, user: WebUser, consent_id: str, form: PostedForm
) -> Response:
    """Revoke it under the version check."""
    consent = consents.CONSENTS.writable(session, user, parse_id(consent_id))

    def stale(exc: Conflict) -> tuple[dict[str, Any], dict[str, str]]:  # StaleVersion too
        values = values_of(form) | {"version": str(consent.version)}
        return values, {"__all__": conflict_text(exc)}

    return submit_record(
        request,
        session,
        form,
        "consents/revoke.html",
        lambda body: consents.revoke_consent(
            session, consent, ConsentRevoke.model_validate(body), actor=user
        ),
        victim_id=consent.victim_id,
        notice="guardado",
        on_conflict=stale,
        consent=consent,
        referrals=under_consent(session, consent.id),
    )
