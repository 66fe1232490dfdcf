"""JSON API of follow-ups: append-only, corrections supersede."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, status

from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import InvalidInput, NotFound, error_responses
from app.followups import service
from app.followups.errors import SupersedeConflict
from app.followups.schemas import FollowUpCreate, FollowUpList, FollowUpRead
from app.pagination import DEFAULT_LIMIT, Cursor, Limit
from app.victims.deps import VisibleVictim, WritableVictim
from app.work import api

router = api.work_router("follow-ups", NotFound)


@router.post(
    "/victims/{victim_id}/follow-ups",
    response_model=FollowUpRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(SupersedeConflict, InvalidInput),
)
def add_follow_up(
    victim: WritableVictim, body: FollowUpCreate, session: SessionDep, user: CurrentUser
) -> FollowUpRead:
    """Append a follow-up; a correction names the entry it `supersedes`."""
    return service.create_follow_up(session, victim, body, actor=user)


@router.get(
    "/victims/{victim_id}/follow-ups",
    response_model=FollowUpList,
    responses=error_responses(InvalidInput),
)
def list_follow_ups(
    victim: VisibleVictim,
    session: SessionDep,
    user: CurrentUser,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    current_only: Annotated[bool, Query(description="Leave out superseded entries")] = False,
) -> FollowUpList:
    """List a victim's follow-ups, newest first (narratives the caller may not read are null)."""
    items, next_cursor = service.list_follow_ups(
        session, victim, actor=user, limit=limit, cursor=cursor, current_only=current_only
    )
    return FollowUpList(items=items, next_cursor=next_cursor)
