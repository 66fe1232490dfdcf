"""Case pages: list (filters, code search, pages), register, the case page with its one
timeline (app.cases.timeline), close, reopen, status; a detection is posted here too."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.caseload import web as caseload_web
from app.cases import service
from app.cases.models import Case
from app.cases.schemas import CaseClose, CaseCreate, CaseReopen, CaseUpdate
from app.cases.timeline import case_timeline
from app.catalogs import STAFF_ROLES, CaseStatus, Team
from app.db import SessionDep, today
from app.detections import web as detections_web
from app.scope import ensure_case_reader, ensure_case_writer, get_visible_case
from app.transfers import web as transfers_web
from app.transfers.service import pending_for_case
from app.web.forms import PostedForm, attempt, known, nested, parse_id, values_of
from app.web.once import single_use
from app.web.respond import redirect_to, render
from app.web.session import WebUser

E = TypeVar("E", bound=StrEnum)

router = APIRouter(prefix="/casos")
PAGE = 25


def _enum(enum: type[E], value: str | None) -> E | None:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


@router.get("", name="cases:list")
def list_cases(
    request: Request,
    session: SessionDep,
    user: WebUser,
    team: str = "",
    status: str = "",
    year: str = "",
    q: str = "",
    cursor: str = "",
) -> Response:
    """The caller's teams' cases, newest first, with filters and a code search."""
    ensure_case_reader(user)
    year_value = int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else None
    items, next_cursor = service.list_cases(
        session,
        user,
        team=_enum(Team, team),
        status=_enum(CaseStatus, status),
        year=year_value,
        q=q.strip()[:40] or None,
        limit=PAGE,
        cursor=cursor or None,
    )
    filters = {"team": team, "status": status, "year": year, "q": q}
    return render(
        request,
        "cases/list.html",
        {"cases": items, "next_cursor": next_cursor, "filters": filters, "first_page": not cursor},
    )


@router.get("/nuevo", name="cases:new")
def new_case(request: Request, user: WebUser) -> Response:
    """The form to register a case."""
    ensure_case_writer(user)
    values = {"opened_on": today().isoformat(), "team": user.teams[0] if user.teams else ""}
    return render(request, "cases/new.html", {"values": values, "errors": {}})


@router.post("/nuevo", name="cases:create")
@single_use
def create_case(request: Request, session: SessionDep, user: WebUser, form: PostedForm) -> Response:
    """Register a case for one of the caller's teams."""
    ensure_case_writer(user)
    body, _ = nested(form)
    case, errors = attempt(
        session, lambda: service.create_case(session, CaseCreate.model_validate(body), actor=user)
    )
    if errors:
        return render(
            request, "cases/new.html", {"values": values_of(form), "errors": errors}, status=422
        )
    return redirect_to(request, "cases:detail", notice="creado", case_id=case.id)


@router.get("/{case_id}", name="cases:detail")
def case_detail(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """A case, its victims and one timeline of all the work on it."""
    cid = parse_id(case_id)
    detail = service.get_case_detail(session, user, cid)
    case = get_visible_case(session, user, cid)
    entries = case_timeline(session, user, case, detail)
    staff = user.role in STAFF_ROLES
    return render(
        request,
        "cases/detail.html",
        {
            "case": detail,
            "entries": entries,
            "can_write": staff,
            "may_delete": staff,
            "may_correct": staff and detail.status != CaseStatus.closed,
            "transfer": transfers_web.case_panel(session, user, case),
            "assignments": caseload_web.case_panel(session, user, case),
        },
    )


def _form_page(
    request: Request,
    session: SessionDep,
    user: WebUser,
    case_id: str,
    template: str,
    values: dict[str, object],
) -> Response:
    ensure_case_writer(user)
    case = get_visible_case(session, user, parse_id(case_id))
    context = {"case": case, "values": values, "errors": {}}
    return render(request, template, context | _warnings(session, case, template))


def _warnings(session: Session, case: Case, template: str) -> dict[str, object]:
    """What the close form says before it is sent: closing withdraws a pending transfer."""
    if template != "cases/close.html":
        return {}
    return {"pending_transfer": pending_for_case(session, case)}


@router.get("/{case_id}/cerrar", name="cases:close")
def close_form(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """The form to close a case."""
    return _form_page(
        request, session, user, case_id, "cases/close.html", {"closed_on": today().isoformat()}
    )


@router.get("/{case_id}/reabrir", name="cases:reopen")
def reopen_form(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """The form to reopen a closed case."""
    return _form_page(request, session, user, case_id, "cases/reopen.html", {})


_ACTIONS: dict[str, tuple[str, str, Callable[..., Any]]] = {
    "close": (
        "cases/close.html",
        "cerrado",
        lambda s, c, body, u: service.close_case(s, c, CaseClose.model_validate(body), actor=u),
    ),
    "reopen": (
        "cases/reopen.html",
        "reabierto",
        lambda s, c, body, u: service.reopen_case(s, c, CaseReopen.model_validate(body), actor=u),
    ),
    "status": (
        "cases/detail.html",
        "guardado",
        lambda s, c, body, u: service.update_case(s, c, CaseUpdate.model_validate(body), actor=u),
    ),
    # The detection form is the detections domain's; it posts here, beside the case's other
    # actions, because all of them share this one URL pattern.
    "detection": (detections_web.NEW_TEMPLATE, "creado", detections_web.save_detection),
}


@router.post("/{case_id}/{action}", name="cases:act")
@single_use
def act_on_case(
    request: Request,
    session: SessionDep,
    user: WebUser,
    case_id: str,
    action: str,
    form: PostedForm,
) -> Response:
    """Close, reopen, change status or record a detection (post/redirect/get)."""
    key = known(
        {"cerrar": "close", "reabrir": "reopen", "estado": "status", "detecciones": "detection"},
        action,
    )
    template, notice, run = _ACTIONS[key]
    case = service.CASES.writable(session, user, parse_id(case_id))
    body, _ = nested(form)
    _, errors = attempt(session, lambda: run(session, case, body, user))
    if errors:
        if key == "status":  # a stale status change: show the case again with the reason
            return redirect_to(request, "cases:detail", case_id=case.id)
        context = {"case": case, "values": values_of(form), "errors": errors}
        return render(request, template, context | _warnings(session, case, template), status=422)
    return redirect_to(request, "cases:detail", notice=notice, case_id=case.id)
