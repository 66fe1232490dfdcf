"""JSON API of detections: practices of institutions witnessed in a case."""

from __future__ import annotations

from typing import Annotated

from fastapi import Response, status

from app.cases.deps import VisibleCase, WritableCase
from app.catalogs import Polarity
from app.db import SessionDep
from app.deps import CurrentUser
from app.detections import service
from app.detections.deps import WritableDetection
from app.detections.errors import DetectionNotFound
from app.detections.models import Detection
from app.detections.schemas import DetectionCreate, DetectionList, DetectionRead, DetectionUpdate
from app.detections.service import DETECTIONS
from app.pagination import DEFAULT_LIMIT, Cursor, Limit
from app.work import api

router = api.work_router("detections", DetectionNotFound)


@router.post(
    "/cases/{case_id}/detections",
    response_model=DetectionRead,
    status_code=status.HTTP_201_CREATED,
    responses=api.CREATE_ERRORS,
)
def create_detection(
    case: WritableCase, body: DetectionCreate, session: SessionDep, user: CurrentUser
) -> Detection:
    """Record a good or bad practice of an institution witnessed in the case."""
    return DETECTIONS.create(session, case, body, actor=user)


@router.get("/cases/{case_id}/detections", response_model=DetectionList, responses=api.LIST_ERRORS)
def list_detections(
    case: VisibleCase,
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    polarity: Polarity | None = None,
) -> DetectionList:
    """List a case's detections, latest first (optionally good or bad only)."""
    page = service.list_detections(session, case, limit=limit, cursor=cursor, polarity=polarity)
    return api.listing(DetectionList, page)


@router.patch(
    "/detections/{detection_id}", response_model=DetectionRead, responses=api.UPDATE_ERRORS
)
def update_detection(
    detection: WritableDetection, body: DetectionUpdate, session: SessionDep, user: CurrentUser
) -> Detection:
    """Edit a detection; a stale `version` is a 409."""
    return DETECTIONS.update(session, detection, body, actor=user)


@router.delete(
    "/detections/{detection_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=api.DELETE_ERRORS,
)
def delete_detection(_: Annotated[None, api.deleting(DETECTIONS, "detection_id")]) -> Response:
    """Soft-delete a detection (`?version=N`); a coordinator may restore it."""
    return api.no_content()


@router.post(
    "/detections/{detection_id}/restore",
    response_model=DetectionRead,
    responses=api.RESTORE_ERRORS,
)
def restore_detection(
    detection: Annotated[Detection, api.restoring(DETECTIONS, "detection_id")],
) -> Detection:
    """Restore a deleted detection (coordinators of the team)."""
    return detection
