"""JSON API of protection measures granted to victims."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import NotAllowed, NotAuthenticated, error_responses
from app.followups.service import get_writable_victim
from app.pagination import DEFAULT_LIMIT, Cursor, Limit
from app.protection import service
from app.protection.errors import MeasureNotFound
from app.protection.models import ProtectionMeasure
from app.protection.schemas import MeasureCreate, MeasureList, MeasureRead, MeasureUpdate
from app.scope import get_visible_victim
from app.work.api import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    LIST_ERRORS,
    RESTORE_ERRORS,
    UPDATE_ERRORS,
    DeleteVersion,
    VersionIn,
    no_content,
)

router = APIRouter(
    prefix="/api/v1",
    tags=["protection-measures"],
    responses=error_responses(NotAuthenticated, NotAllowed, MeasureNotFound),
)


@router.post(
    "/victims/{victim_id}/protection-measures",
    response_model=MeasureRead,
    status_code=status.HTTP_201_CREATED,
    responses=CREATE_ERRORS,
)
def create_protection_measure(
    victim_id: uuid.UUID, body: MeasureCreate, session: SessionDep, user: CurrentUser
) -> ProtectionMeasure:
    """Record a protection measure granted to the victim by an institution."""
    victim = get_writable_victim(session, user, victim_id)
    return service.create_protection_measure(session, victim, body, actor=user)


@router.get(
    "/victims/{victim_id}/protection-measures", response_model=MeasureList, responses=LIST_ERRORS
)
def list_protection_measures(
    victim_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> MeasureList:
    """List a victim's protection measures, latest granted first."""
    victim = get_visible_victim(session, user, victim_id)
    items, next_cursor = service.list_protection_measures(
        session, victim, limit=limit, cursor=cursor
    )
    return MeasureList(
        items=[MeasureRead.model_validate(r) for r in items], next_cursor=next_cursor
    )


@router.patch(
    "/protection-measures/{measure_id}", response_model=MeasureRead, responses=UPDATE_ERRORS
)
def update_protection_measure(
    measure_id: uuid.UUID, body: MeasureUpdate, session: SessionDep, user: CurrentUser
) -> ProtectionMeasure:
    """Edit a protection measure (e.g. set its end date); a stale `version` is a 409."""
    measure = service.get_writable_measure(session, user, measure_id)
    return service.update_protection_measure(session, measure, body, actor=user)


@router.delete(
    "/protection-measures/{measure_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=DELETE_ERRORS,
)
def delete_protection_measure(
    measure_id: uuid.UUID, version: DeleteVersion, session: SessionDep, user: CurrentUser
) -> Response:
    """Soft-delete a measure (`?version=N`); a coordinator may restore it."""
    measure = service.get_writable_measure(session, user, measure_id)
    service.delete_protection_measure(session, measure, version=version, actor=user)
    return no_content()


@router.post(
    "/protection-measures/{measure_id}/restore",
    response_model=MeasureRead,
    responses=RESTORE_ERRORS,
)
def restore_protection_measure(
    measure_id: uuid.UUID, body: VersionIn, session: SessionDep, user: CurrentUser
) -> ProtectionMeasure:
    """Restore a deleted measure (coordinators of the team)."""
    measure = service.get_restorable_measure(session, user, measure_id)
    return service.restore_protection_measure(session, measure, version=body.version, actor=user)
