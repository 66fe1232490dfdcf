"""The home page: the sign-in form for visitors; for staff "Mis casos" (their assigned
cases with each victim's next due item), for coordinators the caseload of their teams."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.agenda import service as agenda
from app.agenda.schemas import AgendaScope
from app.caseload import counts
from app.catalogs import STAFF_ROLES, Role
from app.db import SessionDep
from app.home import queries
from app.transfers import service as transfers
from app.users.web import login_page
from app.web.respond import render
from app.web.session import OptionalUser

router = APIRouter()
HOME_AGENDA = 8


@router.get("/", name="home")
def home(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    """Sign-in form for visitors; the signed-in person's home page otherwise."""
    if user is None:
        return login_page(request, next_path="/")
    context: dict[str, object] = {}
    if user.role in STAFF_ROLES:
        # "Mis casos" first: what this person holds, each victim's next due item.
        context["my_cases"] = counts.my_cases(session, user)
    if user.role == Role.coordinator:
        context["caseload"] = counts.caseload(session, user, None)
        context["unassigned"] = counts.unassigned_cases(session, user, None)
    if user.role in STAFF_ROLES or user.role == Role.coordinator:
        context["cases"] = queries.open_cases(session, user)
        context["transfers_waiting"] = transfers.waiting_count(session, user)
        # What is due first: the worker's own cases, the coordinator's teams (app.agenda).
        scope = AgendaScope.mine if user.role in STAFF_ROLES else AgendaScope.team
        context["agenda"], context["agenda_more"] = agenda.agenda_page(
            session, user, scope=scope, limit=HOME_AGENDA
        )
        context["agenda_scope"] = scope
    return render(request, "home/index.html", context)
