"""Forms for a victim's protection measures and consents, and the revocation of a consent."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.consents import service as consents
from app.consents.schemas import ConsentCreate, ConsentRevoke
from app.db import SessionDep, today
from app.errors import Conflict
from app.followups.service import get_writable_victim
from app.protection import service as protection
from app.protection.schemas import MeasureCreate
from app.web.forms import PostedForm, attempt, nested, parse_id, values_of
from app.web.respond import redirect, render
from app.web.session import WebUser
from app.web.wording import conflict_message, spanish

router = APIRouter()


def _records(request: Request, victim_id: object) -> str:
    return str(request.url_for("victims:records", victim_id=victim_id).path)


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return render(request, template, {"errors": {}} | context, status=status)


@router.get("/victimas/{victim_id}/medidas/registrar", name="measures:new")
def measure_form(request: Request, session: SessionDep, user: WebUser,
                 victim_id: str) -> Response:
    """The form for a protection measure granted to the victim."""
    victim = get_writable_victim(session, user, parse_id(victim_id))
    return _page(request, "more/measure.html", victim=victim,
                 values={"granted_on": today().isoformat()})


@router.post("/victimas/{victim_id}/medidas/registrar", name="measures:create")
def measure_create(request: Request, session: SessionDep, user: WebUser, victim_id: str,
                   form: PostedForm) -> Response:
    """Record the measure (errors: the form again, as typed)."""
    victim = get_writable_victim(session, user, parse_id(victim_id))
    body, _ = nested(form)
    _, errors = attempt(session, lambda: protection.create_protection_measure(
        session, victim, MeasureCreate.model_validate(body), actor=user))
    if errors:
        return _page(request, "more/measure.html", 422, victim=victim,
                     values=values_of(form), errors=spanish(errors))
    return redirect(request, _records(request, victim.id), notice="creado")


@router.get("/victimas/{victim_id}/consentimientos/registrar", name="consents:new")
def consent_form(request: Request, session: SessionDep, user: WebUser,
                 victim_id: str) -> Response:
    """The form for a consent the victim gave for one purpose."""
    victim = get_writable_victim(session, user, parse_id(victim_id))
    return _page(request, "more/consent.html", victim=victim,
                 values={"given_on": today().isoformat()})


@router.post("/victimas/{victim_id}/consentimientos/registrar", name="consents:create")
def consent_create(request: Request, session: SessionDep, user: WebUser, victim_id: str,
                   form: PostedForm) -> Response:
    """Record the consent; one in force per purpose (else the form explains why)."""
    victim = get_writable_victim(session, user, parse_id(victim_id))
    body, _ = nested(form)
    try:
        _, errors = attempt(session, lambda: consents.create_consent(
            session, victim, ConsentCreate.model_validate(body), actor=user))
    except Conflict as exc:
        return _page(request, "more/consent.html", 409, victim=victim, values=values_of(form),
                     errors={"__all__": conflict_message(exc.detail),
                             "purpose": conflict_message(exc.detail)})
    if errors:
        return _page(request, "more/consent.html", 422, victim=victim,
                     values=values_of(form), errors=spanish(errors))
    return redirect(request, _records(request, victim.id), notice="creado")


@router.get("/consentimientos/{consent_id}/revocar", name="consents:revoke")
def revoke_form(request: Request, session: SessionDep, user: WebUser,
                consent_id: str) -> Response:
    """Ask for the revocation date (the consent stays on record, dated as revoked)."""
    consent = consents.get_writable_consent(session, user, parse_id(consent_id))
    if consent.revoked_on is not None:
        raise Conflict(conflict_message("already revoked"))
    return _page(request, "more/revoke.html", consent=consent,
                 values={"revoked_on": today().isoformat(), "version": str(consent.version)})


@router.post("/consentimientos/{consent_id}/revocar", name="consents:revoke:submit")
def revoke_submit(request: Request, session: SessionDep, user: WebUser, consent_id: str,
                  form: PostedForm) -> Response:
    """Revoke it under the version check."""
    consent = consents.get_writable_consent(session, user, parse_id(consent_id))
    body, _ = nested(form)
    try:
        _, errors = attempt(session, lambda: consents.revoke_consent(
            session, consent, ConsentRevoke.model_validate(body), actor=user))
    except Conflict as exc:  # StaleVersion is a Conflict too
        values = values_of(form) | {"version": str(consent.version)}
        return _page(request, "more/revoke.html", 409, consent=consent, values=values,
                     errors={"__all__": conflict_message(exc.detail)})
    if errors:
        return _page(request, "more/revoke.html", 422, consent=consent,
                     values=values_of(form), errors=spanish(errors))
    return redirect(request, _records(request, consent.victim_id), notice="guardado")
