"""JSON API of the agenda: GET /api/v1/agenda (what is due on the caller's open cases)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.agenda import service
from app.agenda.schemas import AgendaList, AgendaScope
from app.catalogs import Team
from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import InvalidInput, NotAllowed, NotAuthenticated, error_responses
from app.pagination import Paging

router = APIRouter(
    prefix="/api/v1/agenda",
    tags=["agenda"],
    responses=error_responses(NotAuthenticated, NotAllowed),
)


@router.get("", response_model=AgendaList, responses=error_responses(InvalidInput))
def list_agenda(
    session: SessionDep,
    user: CurrentUser,
    page: Paging,
    scope: Annotated[
        AgendaScope,
        Query(description="`mine`: cases the caller holds a current assignment on; `team`."),
    ] = AgendaScope.mine,
    start: Annotated[
        date | None, Query(alias="from", description="First due date (default: 30 days ago)")
    ] = None,
    end: Annotated[
        date | None, Query(alias="to", description="Last due date (default: 14 days ahead)")
    ] = None,
    team: Annotated[Team | None, Query(description="Only this one of the caller's teams")] = None,
) -> AgendaList:
    """What is due on open cases of the caller's teams, earliest first.

    Plan reviews, goals, protection measures and reflection periods ending, planned actions
    and outgoing referrals still unanswered 15 days after they were sent, each with its
    due date, whether it is overdue and the record it comes from. Labels hold the kind
    and catalog labels only.
    """
    default = service.default_window()
    window = service.Window(start or default.start, end or default.end)
    items, next_cursor = service.agenda_page(
        session, user, scope=scope, window=window, team=team, **page.as_kwargs()
    )
    return AgendaList(items=items, next_cursor=next_cursor)
