"""The agenda page: what is due on the caller's open cases, by date, overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.agenda import service
from app.agenda.schemas import AgendaItem, AgendaScope
from app.catalogs import STAFF_ROLES, Team
from app.db import SessionDep, today
from app.error_texts import error_text
from app.errors import InvalidInput
from app.scope import ensure_case_reader
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter()
PAGE = 50
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


@dataclass(frozen=True)
class Day:
    on: date
    heading: str
    items: list[AgendaItem]


def _heading(on: date, now: date) -> str:
    text = f"{WEEKDAYS[on.weekday()].capitalize()} {on.day}/{on.month:02d}/{on.year}"
    gap = (on - now).days
    special = {0: "hoy", 1: "mañana", -1: "ayer"}.get(gap)
    return f"{text} · {special}" if special else text


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/agenda", name="agenda:page")
def agenda_page(
    request: Request,
    session: SessionDep,
    user: WebUser,
    scope: str = "",
    team: str = "",
    start: str = "",
    end: str = "",
    cursor: str = "",
) -> Response:
    """What is due on the caller's cases (staff: their own by default; coordinators: the
    team's), in a window of dates, as links to each record."""
    ensure_case_reader(user)
    chosen = scope if scope in AgendaScope.__members__ else ""
    if not chosen:
        chosen = AgendaScope.mine if user.role in STAFF_ROLES else AgendaScope.team
    default = service.default_window()
    window = service.Window(_date(start) or default.start, _date(end) or default.end)
    team_value = Team(team) if team in user.teams else None
    error = ""
    items: list[AgendaItem] = []
    next_cursor = None
    try:
        items, next_cursor = service.agenda_page(
            session,
            user,
            scope=AgendaScope(chosen),
            window=window,
            team=team_value,
            limit=PAGE,
            cursor=cursor or None,
        )
    except InvalidInput as exc:
        error = error_text(exc.code, {})
    now = today()
    days = [
        Day(on, _heading(on, now), list(group))
        for on, group in groupby(items, key=lambda i: i.due_on)
    ]
    filters = {
        "scope": chosen,
        "team": team_value or "",
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
    }
    return render(
        request,
        "agenda/page.html",
        {
            "days": days,
            "next_cursor": next_cursor,
            "first_page": not cursor,
            "filters": filters,
            "window": window,
            "can_have_own": user.role in STAFF_ROLES,
            "overdue_count": sum(1 for i in items if i.overdue),
            "error": error,
        },
    )
