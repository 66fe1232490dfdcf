"""Forms for a victim's protection measures and consents, and the revocation of a consent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.consents import service as consents
from app.consents.schemas import ConsentCreate, ConsentRevoke
from app.db import SessionDep, today
from app.errors import Conflict
from app.followups.service import get_writable_victim
from app.protection import service as protection
from app.protection.schemas import MeasureCreate
from app.users.models import User
from app.web.forms import PostedForm, attempt, nested, parse_id, values_of
from app.web.respond import redirect_to, render
from app.web.session import WebUser
from app.web.wording import conflict_message, spanish

router = APIRouter()


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return render(request, template, {"errors": {}} | context, status=status)


def _submit(
    request: Request,
    session: Session,
    form: FormData,
    template: str,
    save: Callable[[dict[str, Any]], object],
    *,
    victim_id: object,
    notice: str,
    on_conflict: Callable[[Conflict], tuple[dict[str, Any], dict[str, str]]] | None = None,
    **context: Any,
) -> Response:
    """Save the posted record and go to the victim's records; else the form again, as typed
    (422), or with the conflict explained (409) where the record kind has one."""
    body, _ = nested(form)
    try:
        _, errors = attempt(session, lambda: save(body))
    except Conflict as exc:
        if on_conflict is None:
            raise
        values, errors = on_conflict(exc)
        return _page(request, template, 409, values=values, errors=errors, **context)
    if errors:
        return _page(
            request, template, 422, values=values_of(form), errors=spanish(errors), **context
        )
    return redirect_to(request, "victims:records", notice=notice, victim_id=victim_id)


def _new(
    request: Request, session: Session, user: User, victim_id: str, template: str, date_field: str
) -> Response:
    victim = get_writable_victim(session, user, parse_id(victim_id))
    return _page(request, template, victim=victim, values={date_field: today().isoformat()})


@router.get("/victimas/{victim_id}/medidas/registrar", name="measures:new")
def measure_form(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """The form for a protection measure granted to the victim."""
    return _new(request, session, user, victim_id, "more/measure.html", "granted_on")


@router.post("/victimas/{victim_id}/medidas/registrar", name="measures:create")
def measure_create(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, form: PostedForm
) -> Response:
    """Record the measure (errors: the form again, as typed)."""
    victim = get_writable_victim(session, user, parse_id(victim_id))
    return _submit(
        request,
        session,
        form,
        "more/measure.html",
        lambda body: protection.create_protection_measure(
            session, victim, MeasureCreate.model_validate(body), actor=user
        ),
        victim_id=victim.id,
        notice="creado",
        victim=victim,
    )


@router.get("/victimas/{victim_id}/consentimientos/registrar", name="consents:new")
def consent_form(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """The form for a consent the victim gave for one purpose."""
    return _new(request, session, user, victim_id, "more/consent.html", "given_on")


@router.post("/victimas/{victim_id}/consentimientos/registrar", name="consents:create")
def consent_create(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, form: PostedForm
) -> Response:
    """Record the consent; one in force per purpose (else the form explains why)."""
    victim = get_writable_victim(session, user, parse_id(victim_id))

    def purpose_taken(exc: Conflict) -> tuple[dict[str, Any], dict[str, str]]:
        message = conflict_message(exc.detail)
        return values_of(form), {"__all__": message, "purpose": message}

    return _submit(
        request,
        session,
        form,
        "more/consent.html",
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
    consent = consents.get_writable_consent(session, user, parse_id(consent_id))
    if consent.revoked_on is not None:
        raise Conflict(conflict_message("already revoked"))
    return _page(
        request,
        "more/revoke.html",
        consent=consent,
        values={"revoked_on": today().isoformat(), "version": str(consent.version)},
    )


@router.post("/consentimientos/{consent_id}/revocar", name="consents:revoke:submit")
def revoke_submit(
    request: Request, session: SessionDep, user: WebUser, consent_id: str, form: PostedForm
) -> Response:
    """Revoke it under the version check."""
    consent = consents.get_writable_consent(session, user, parse_id(consent_id))

    def stale(exc: Conflict) -> tuple[dict[str, Any], dict[str, str]]:  # StaleVersion too
        values = values_of(form) | {"version": str(consent.version)}
        return values, {"__all__": conflict_message(exc.detail)}

    return _submit(
        request,
        session,
        form,
        "more/revoke.html",
        lambda body: consents.revoke_consent(
            session, consent, ConsentRevoke.model_validate(body), actor=user
        ),
        victim_id=consent.victim_id,
        notice="guardado",
        on_conflict=stale,
        consent=consent,
    )
