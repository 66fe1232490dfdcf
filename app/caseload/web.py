"""Caseload pages: who is in charge of a case (the case page's panel, assign, end) and the
coordinators' bulk reassignment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.caseload import service
from app.caseload.models import Assignment
from app.caseload.schemas import AssignmentCreate, AssignmentEnd, Reassign, ReassignResult
from app.cases.models import Case
from app.catalogs import CaseStatus, label
from app.db import SessionDep
from app.scope import CASE_READERS, ensure_case_reader, get_visible_case
from app.users.models import User
from app.web.forms import PostedForm, attempt, nested, parse_id, values_of
from app.web.respond import redirect_to, render
from app.web.session import WebUser

router = APIRouter()


def _staff_choices(session: Session, case: Case) -> list[tuple[str, str]]:
    return [
        (str(u.id), u.full_name or u.username)
        for u in session.scalars(service.team_staff(case.team))
    ]


def case_panel(session: Session, user: User, case: Case) -> dict[str, Any]:
    """What the case page shows of its assignments: the current ones (lead first), the
    ended ones, and the form to assign someone (staff and coordinators of its team)."""
    everyone = service.history(session, case.id)
    current = service.current(session, [case.id])[case.id]
    return {
        "current": current,
        "ended": [a for a in everyone if a.until is not None],
        "may_assign": user.role in CASE_READERS and case.status != CaseStatus.closed,
        "may_end": user.role in CASE_READERS,
        "staff": _staff_choices(session, case),
    }


def _assign_form(
    request: Request,
    session: Session,
    case: Case,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int,
) -> Response:
    return render(
        request,
        "caseload/assign.html",
        {"case": case, "staff": _staff_choices(session, case), "values": values, "errors": errors},
        status=status,
    )


@router.get("/asignaciones/casos/{case_id}", name="caseload:new")
def assign_form(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """The form to put a member of the case's team in charge of part of its work."""
    ensure_case_reader(user)
    case = get_visible_case(session, user, parse_id(case_id))
    return _assign_form(request, session, case, {}, {}, 200)


@router.post("/asignaciones/casos/{case_id}", name="caseload:assign")
def assign(
    request: Request, session: SessionDep, user: WebUser, case_id: str, form: PostedForm
) -> Response:
    """Assign (a new lead ends the current one); the case page again, or the form with why."""
    case = get_visible_case(session, user, parse_id(case_id))
    body, _ = nested(form)
    _, errors = attempt(
        session,
        lambda: service.assign(session, case, AssignmentCreate.model_validate(body), actor=user),
    )
    if errors:
        return _assign_form(request, session, case, values_of(form), errors, 422)
    return redirect_to(request, "cases:detail", notice="asignado", case_id=case.id)


@router.post("/asignaciones/{assignment_id}/terminar", name="caseload:end")
def end(
    request: Request, session: SessionDep, user: WebUser, assignment_id: str, form: PostedForm
) -> Response:
    """End an assignment today (it stays in the case's history)."""
    assignment: Assignment = service.visible_assignment(session, user, parse_id(assignment_id))
    service.end(session, assignment, AssignmentEnd(), actor=user)
    return redirect_to(
        request, "cases:detail", notice="asignacion_terminada", case_id=assignment.case_id
    )


def _people(session: Session, user: User) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Whom a coordinator moves work from (anyone of their teams' staff, deactivated ones
    marked) and to (active staff only)."""
    seen: dict[str, User] = {}
    for team in user.teams:
        for person in service.staff_of_team(session, user, team):
            seen.setdefault(str(person.id), person)
    people = sorted(seen.values(), key=lambda p: (p.full_name or p.username).lower())

    def name(p: User) -> str:
        return (p.full_name or p.username) + ("" if p.active else " (cuenta desactivada)")

    return [(str(p.id), name(p)) for p in people], [
        (str(p.id), name(p)) for p in people if p.active
    ]


def _reassign_page(
    request: Request,
    session: Session,
    user: User,
    values: dict[str, Any],
    errors: dict[str, str],
    result: ReassignResult | None,
    status: int = 200,
) -> Response:
    origin, target = _people(session, user)
    context = {
        "origin": origin,
        "target": target,
        "teams": [(t.value, label("team", t)) for t in user.teams],
        "values": values,
        "errors": errors,
        "result": result,
    }
    return render(request, "caseload/reassign.html", context, status=status)


@router.get("/coordinacion/reasignar", name="caseload:reassign")
def reassign_form(request: Request, session: SessionDep, user: WebUser) -> Response:
    """Coordinators: move the cases of one person (who leaves, who is away) to another."""
    service.ensure_coordinator(user)
    return _reassign_page(request, session, user, {}, {}, None)


@router.post("/coordinacion/reasignar", name="caseload:reassign_post")
def reassign(request: Request, session: SessionDep, user: WebUser, form: PostedForm) -> Response:
    """Do the reassignment and say how many moved and which cases were left as they were."""
    service.ensure_coordinator(user)
    body, _ = nested(form)
    result, errors = attempt(
        session, lambda: service.reassign(session, Reassign.model_validate(body), actor=user)
    )
    status = 422 if errors else 200
    return _reassign_page(request, session, user, values_of(form), errors, result, status)
