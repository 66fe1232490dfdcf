"""The new-record page of a victim's work: a follow-up (with actions), a plan (needs and
goals) or a referral. One route serves the three because its URL names the kind
(`/victimas/{id}/seguimientos/nuevo`, `…/planes/nuevo`, `…/derivaciones/nuevo`); each form
(template, defaults, save) belongs to its domain's web module."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.db import SessionDep
from app.followups.web import NEW_FORM as FOLLOW_UP_FORM
from app.plans.web import NEW_FORM as PLAN_FORM
from app.referrals.web import NEW_FORM as REFERRAL_FORM
from app.users.models import User
from app.victims.service import VICTIMS
from app.web.forms import PostedForm, attempt, known, nested, parse_id, remap, values_of
from app.web.once import single_use
from app.web.respond import redirect_to
from app.web.session import WebUser
from app.web.submit import form_page

router = APIRouter()

FORMS = {
    "seguimientos": FOLLOW_UP_FORM,
    "planes": PLAN_FORM,
    "derivaciones": REFERRAL_FORM,
}


def _victim_for(session: Session, user: User, victim_id: str) -> Any:
    return VICTIMS.writable(session, user, parse_id(victim_id))


@router.get("/victimas/{victim_id}/{kind}/nuevo", name="work:new")
def new_work(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, kind: str
) -> Response:
    """The form for a follow-up, a plan or a referral of this victim."""
    spec = known(FORMS, kind)
    victim = _victim_for(session, user, victim_id)
    return form_page(
        request,
        spec.template,
        victim=victim,
        kind=kind,
        values=spec.defaults(victim, user),
        **spec.extra(session, victim),
    )


@router.post("/victimas/{victim_id}/{kind}/nuevo", name="work:create")
@single_use
def create_work(
    request: Request,
    session: SessionDep,
    user: WebUser,
    victim_id: str,
    kind: str,
    form: PostedForm,
) -> Response:
    """Save it and go back to the victim's page (errors: the form again, as typed)."""
    spec = known(FORMS, kind)
    victim = _victim_for(session, user, victim_id)
    body, rows_of = nested(form, lists=spec.lists)
    _, errors = attempt(session, lambda: spec.save(session, victim, body, user))
    if errors:
        return form_page(
            request,
            spec.template,
            422,
            victim=victim,
            kind=kind,
            values=values_of(form),
            errors=remap(errors, rows_of),
            **spec.extra(session, victim),
        )
    return redirect_to(request, "victims:detail", notice="creado", victim_id=victim.id)
