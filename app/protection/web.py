"""Protection measure pages: the form for a measure granted to a victim."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db import SessionDep, today
from app.protection import service as protection
from app.protection.schemas import MeasureCreate
from app.victims.service import VICTIMS
from app.web.forms import PostedForm, parse_id
from app.web.once import single_use
from app.web.session import WebUser
from app.web.submit import form_page, submit_record

router = APIRouter()
TEMPLATE = "protection/new.html"


@router.get("/victimas/{victim_id}/medidas/registrar", name="measures:new")
def measure_form(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """The form for a protection measure granted to the victim."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))
    return form_page(request, TEMPLATE, victim=victim, values={"granted_on": today().isoformat()})


@router.post("/victimas/{victim_id}/medidas/registrar", name="measures:create")
@single_use
def measure_create(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, form: PostedForm
) -> Response:
    """Record the measure (errors: the form again, as typed)."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))
    return submit_record(
        request,
        session,
        form,
        TEMPLATE,
        lambda body: protection.MEASURES.create(
            session, victim, MeasureCreate.model_validate(body), actor=user
        ),
        victim_id=victim.id,
        notice="creado",
        victim=victim,
    )
