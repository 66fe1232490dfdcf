"""JSON API of victims: registration under a case, /api/v1/victims/{id}, search, history."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.audit.schemas import HistoryList
from app.cases.deps import VisibleCase, WritableCase
from app.cases.schemas import VersionBody
from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    StaleVersion,
    error_responses,
)
from app.pagination import Paging
from app.scope import CaseNotFound, VictimNotFound
from app.victims import service
from app.victims.deps import RestorableVictim, WritableVictim
from app.victims.disclosure import DisclosureLimit
from app.victims.models import Victim
from app.victims.schemas import (
    VictimCreate,
    VictimCreated,
    VictimItem,
    VictimList,
    VictimRead,
    VictimSearch,
    VictimUpdate,
)
from app.victims.search_schemas import VictimSearchPage
from app.work.api import no_content

router = APIRouter(
    prefix="/api/v1", tags=["victims"], responses=error_responses(NotAuthenticated, NotAllowed)
)
WRITE_ERRORS = error_responses(VictimNotFound, StaleVersion, InvalidInput)
Version = Annotated[int, Query(description="The version the caller last saw", examples=[2])]


def _page(items: list[Victim], next_cursor: str | None) -> VictimList:
    return VictimList(items=[VictimItem.model_validate(v) for v in items], next_cursor=next_cursor)


@router.post(
    "/cases/{case_id}/victims",
    response_model=VictimCreated,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(CaseNotFound, InvalidInput),
)
def register_victim(
    case: WritableCase, data: VictimCreate, session: SessionDep, user: CurrentUser
) -> VictimCreated:
    """Register a person in a case; `possible_duplicates` lists likely earlier records of her
    (name, sex, birth year or age, document): other teams' by case code and team only."""
    return service.create_victim(session, case, data, actor=user)


@router.get(
    "/cases/{case_id}/victims", response_model=VictimList, responses=error_responses(CaseNotFound)
)
def list_case_victims(
    case: VisibleCase,
    session: SessionDep,
    user: CurrentUser,
    page: Paging,
) -> VictimList:
    """The victims of a case, in registration order (profile only, no identity)."""
    return _page(
        *service.list_case_victims(session, user, case, limit=page.limit, cursor=page.cursor)
    )


@router.post(
    "/victims/search",
    response_model=VictimSearchPage,
    responses=error_responses(InvalidInput, DisclosureLimit),
)
def search_victims(
    data: VictimSearch,
    session: SessionDep,
    user: CurrentUser,
    page: Paging,
) -> VictimSearchPage:
    """Victims of the caller's teams by document number or by name (in the body, never in
    the URL), best first with why they matched; `elsewhere`: strong name matches in other
    teams, by case code and team only (audited, at most 30 per person and hour, then 429)."""
    return service.find_victims(session, user, data, limit=page.limit, cursor=page.cursor)


@router.get(
    "/victims/{victim_id}", response_model=VictimRead, responses=error_responses(VictimNotFound)
)
def read_victim(victim_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> VictimRead:
    """A victim's record; identity for the team in charge (the read is audited)."""
    return service.get_victim_detail(session, user, victim_id)


@router.patch("/victims/{victim_id}", response_model=VictimRead, responses=WRITE_ERRORS)
def update_victim(
    victim: WritableVictim, data: VictimUpdate, session: SessionDep, user: CurrentUser
) -> VictimRead:
    """Change a victim's profile, route or identity (fields sent replace the stored ones)."""
    return service.update_victim(session, victim, data, actor=user)


@router.delete(
    "/victims/{victim_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def delete_victim(
    victim: WritableVictim, version: Version, session: SessionDep, user: CurrentUser
) -> Response:
    """Soft-delete a victim: hidden from every list and count until a coordinator restores it."""
    service.VICTIMS.delete(session, victim, version=version, actor=user)
    return no_content()


@router.post(
    "/victims/{victim_id}/restore",
    response_model=VictimItem,
    responses=error_responses(VictimNotFound, StaleVersion, Conflict),
)
def restore_victim(
    victim: RestorableVictim, data: VersionBody, session: SessionDep, user: CurrentUser
) -> Victim:
    """Restore a deleted victim (coordinators of its team; its case must not be deleted)."""
    return service.VICTIMS.restore(session, victim, version=data.version, actor=user)


@router.get(
    "/victims/{victim_id}/history",
    response_model=HistoryList,
    responses=error_responses(VictimNotFound),
)
def victim_history(
    victim_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    page: Paging,
) -> HistoryList:
    """Who changed which fields of the victim and when (never the values)."""
    items, next_cursor = service.VICTIMS.history(
        session, user, victim_id, limit=page.limit, cursor=page.cursor
    )
    return HistoryList(items=items, next_cursor=next_cursor)
