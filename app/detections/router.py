"""JSON API of detections: practices of institutions witnessed in a case."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from app.catalogs import Polarity
from app.db import SessionDep
from app.deps import CurrentUser
from app.detections import service
from app.detections.errors import DetectionNotFound
from app.detections.models import Detection
from app.detections.schemas import (
    DetectionCreate,
    DetectionList,
    DetectionRead,
    DetectionUpdate,
)
from app.errors import NotAllowed, NotAuthenticated, error_responses
from app.pagination import DEFAULT_LIMIT, Cursor, Limit
from app.scope import get_visible_case
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
    tags=["detections"],
    responses=error_responses(NotAuthenticated, NotAllowed, DetectionNotFound),
)


@router.post(
    "/cases/{case_id}/detections",
    response_model=DetectionRead,
    status_code=status.HTTP_201_CREATED,
    responses=CREATE_ERRORS,
)
def create_detection(
    case_id: uuid.UUID, body: DetectionCreate, session: SessionDep, user: CurrentUser
) -> Detection:
    """Record a good or bad practice of an institution witnessed in the case."""
    case = service.get_writable_case(session, user, case_id)
    return service.create_detection(session, case, body, actor=user)


@router.get("/cases/{case_id}/detections", response_model=DetectionList, responses=LIST_ERRORS)
def list_detections(
    case_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    polarity: Polarity | None = None,
) -> DetectionList:
    """List a case's detections, latest first (optionally good or bad only)."""
    case = get_visible_case(session, user, case_id)
    items, next_cursor = service.list_detections(
        session, case, limit=limit, cursor=cursor, polarity=polarity
    )
    return DetectionList(
        items=[DetectionRead.model_validate(d) for d in items], next_cursor=next_cursor
    )


@router.patch("/detections/{detection_id}", response_model=DetectionRead, responses=UPDATE_ERRORS)
def update_detection(
    detection_id: uuid.UUID, body: DetectionUpdate, session: SessionDep, user: CurrentUser
) -> Detection:
    """Edit a detection; a stale `version` is a 409."""
    detection = service.get_writable_detection(session, user, detection_id)
    return service.update_detection(session, detection, body, actor=user)


@router.delete(
    "/detections/{detection_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_ERRORS
)
def delete_detection(
    detection_id: uuid.UUID, version: DeleteVersion, session: SessionDep, user: CurrentUser
) -> Response:
    """Soft-delete a detection (`?version=N`); a coordinator may restore it."""
    detection = service.get_writable_detection(session, user, detection_id)
    service.delete_detection(session, detection, version=version, actor=user)
    return no_content()


@router.post(
    "/detections/{detection_id}/restore", response_model=DetectionRead, responses=RESTORE_ERRORS
)
def restore_detection(
    detection_id: uuid.UUID, body: VersionIn, session: SessionDep, user: CurrentUser
) -> Detection:
    """Restore a deleted detection (coordinators of the team)."""
    detection = service.get_restorable_detection(session, user, detection_id)
    return service.restore_detection(session, detection, version=body.version, actor=user)
