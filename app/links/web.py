"""Link pages: link a victim with another record of the same person (by its victim code,
which identifies no one), and unlink from the victim's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db import SessionDep
from app.errors import InvalidInput
from app.links import service
from app.links.schemas import LinkCreate
from app.scope import visible_victims
from app.users.models import User
from app.victims.models import Victim
from app.victims.service import VICTIMS
from app.web.forms import PostedForm, attempt, clean, parse_id, posted_version, values_of
from app.web.respond import redirect_to
from app.web.session import WebUser
from app.web.submit import form_page

router = APIRouter()
TEMPLATE = "links/new.html"


@router.get("/victimas/{victim_id}/vincular", name="links:new")
def new_link(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """The form to link this victim with another attention of the same person."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))
    other = request.query_params.get("con", "")[:24]  # a victim code, from a search result
    return form_page(request, TEMPLATE, victim=victim, values={"other_code": other})


def _save(session: SessionDep, user: User, victim: Victim, form: PostedForm) -> object:
    code = (clean(str(form.get("other_code") or "")) or "").upper()
    if not code:
        raise InvalidInput("other_code", "required")
    other = session.scalar(
        visible_victims(user).with_only_columns(Victim.id).where(Victim.code == code)
    )
    if other is None:
        raise InvalidInput("other_code", "link_victim_not_found")
    reason = clean(str(form.get("reason") or ""))
    body = LinkCreate.model_validate({"other_victim_id": other, "reason": reason})
    try:
        return service.link_victims(session, victim, body, actor=user)
    except InvalidInput as exc:  # the body names an id: the form shows it beside the code
        raise InvalidInput("other_code", exc.code) from exc


@router.post("/victimas/{victim_id}/vincular", name="links:create")
def create_link(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, form: PostedForm
) -> Response:
    """Link the two records; the form again (as typed) when the code names no one visible."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))
    _, errors = attempt(session, lambda: _save(session, user, victim, form))
    if errors:
        return form_page(
            request, TEMPLATE, 422, victim=victim, values=values_of(form), errors=errors
        )
    return redirect_to(request, "victims:detail", notice="vinculado", victim_id=victim.id)


@router.post("/victimas/{victim_id}/vinculos/{link_id}/quitar", name="links:delete")
def delete_link(
    request: Request,
    session: SessionDep,
    user: WebUser,
    victim_id: str,
    link_id: str,
    form: PostedForm,
) -> Response:
    """Unlink (the link stays in the audit trail) and return to the victim's page."""
    victim = VICTIMS.visible(session, user, parse_id(victim_id))
    link = service.LINKS.writable(session, user, parse_id(link_id))
    service.LINKS.delete(session, link, version=posted_version(form) or -1, actor=user)
    return redirect_to(request, "victims:detail", notice="desvinculado", victim_id=victim.id)
