"""JSON API of cases: /api/v1/cases (team-scoped; other teams' cases answer 404)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query, Response, status

from app.audit.schemas import HistoryList
from app.cases import service
from app.cases.deps import RestorableCase, WritableCase
from app.cases.errors import CaseAlreadyClosed, CaseNotFound
from app.cases.models import Case
from app.cases.schemas import (
    CaseClose,
    CaseCreate,
    CaseDetail,
    CaseList,
    CaseRead,
    CaseReopen,
    CaseUpdate,
    VersionBody,
)
from app.catalogs import CaseStatus, Team
from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import (
    InvalidInput,
    StaleVersion,
    error_responses,
)
from app.pagination import Paging
from app.work.api import no_content, work_router

router = work_router("cases", prefix="/api/v1/cases")
WRITE_ERRORS = error_responses(CaseNotFound, StaleVersion, InvalidInput)
Version = Annotated[int, Query(description="The version the caller last saw", examples=[3])]


@router.post(
    "",
    response_model=CaseRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(InvalidInput),
)
def open_case(data: CaseCreate, session: SessionDep, user: CurrentUser) -> Case:
    """Open a case for one of the caller's teams; its code is the next of that team and year."""
    return service.create_case(session, data, actor=user)


@router.get("", response_model=CaseList, responses=error_responses(InvalidInput))
def list_cases(
    session: SessionDep,
    user: CurrentUser,
    page: Paging,
    team: Team | None = None,
    status_: Annotated[CaseStatus | None, Query(alias="status")] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100, examples=[2024])] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=40,
            description="A case code or part of one",
            examples=["LIM-2024-0042", "LIM-2024", "42"],
        ),
    ] = None,
    assigned: Annotated[
        Literal["me"] | None,
        Query(description="`me`: only cases where the caller holds a current assignment"),
    ] = None,
) -> CaseList:
    """Cases of the caller's teams, newest first, filtered by team, status, year and code."""
    items, next_cursor = service.list_cases(
        session,
        user,
        team=team,
        status=status_,
        year=year,
        q=q,
        assigned_to=user if assigned == "me" else None,
        **page.as_kwargs(),
    )
    return CaseList.model_validate(
        {"items": items, "next_cursor": next_cursor}, from_attributes=True
    )


@router.get("/{case_id}", response_model=CaseDetail, responses=error_responses(CaseNotFound))
def read_case(case_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> CaseDetail:
    """One case with its victims (no identity), detections and status changes."""
    return service.get_case_detail(session, user, case_id)


@router.patch(
    "/{case_id}",
    response_model=CaseRead,
    responses=error_responses(CaseNotFound, StaleVersion, InvalidInput),
)
def update_case(
    case: WritableCase, data: CaseUpdate, session: SessionDep, user: CurrentUser
) -> Case:
    """Edit summary and referral, or move the status between open and follow_up."""
    return service.update_case(session, case, data, actor=user)


@router.post(
    "/{case_id}/close",
    response_model=CaseRead,
    responses=error_responses(CaseNotFound, CaseAlreadyClosed, InvalidInput),
)
def close_case(case: WritableCase, data: CaseClose, session: SessionDep, user: CurrentUser) -> Case:
    """Close a case with a date (not future, not before opening) and a reason; a pending
    transfer of the case is withdrawn with it."""
    return service.close_case(session, case, data, actor=user)


@router.post("/{case_id}/reopen", response_model=CaseRead, responses=WRITE_ERRORS)
def reopen_case(
    case: WritableCase, data: CaseReopen, session: SessionDep, user: CurrentUser
) -> Case:
    """Reopen a closed case (back to open) with a reason."""
    return service.reopen_case(session, case, data, actor=user)


@router.delete(
    "/{case_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def delete_case(
    case: WritableCase, version: Version, session: SessionDep, user: CurrentUser
) -> Response:
    """Soft-delete a case: hidden from every list and count until a coordinator restores it."""
    service.CASES.delete(session, case, version=version, actor=user)
    return no_content()


@router.post("/{case_id}/restore", response_model=CaseRead, responses=WRITE_ERRORS)
def restore_case(
    case: RestorableCase, data: VersionBody, session: SessionDep, user: CurrentUser
) -> Case:
    """Restore a deleted case (coordinators of its team)."""
    return service.CASES.restore(session, case, version=data.version, actor=user)


@router.get(
    "/{case_id}/history", response_model=HistoryList, responses=error_responses(CaseNotFound)
)
def case_history(
    case_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    page: Paging,
) -> HistoryList:
    """Who changed which fields of the case and when, with its status transitions."""
    items, next_cursor = service.CASES.history(
        session, user, case_id, limit=page.limit, cursor=page.cursor
    )
    return HistoryList(items=items, next_cursor=next_cursor)
