"""Detections of practices: create, list, edit, soft-delete and restore."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.service import get_case_for_write
from app.detections.errors import DetectionNotFound
from app.detections.models import Detection
from app.detections.schemas import DetectionCreate, DetectionUpdate
from app.pagination import DEFAULT_LIMIT
from app.scope import ensure_case_writer, ensure_restorer
from app.users.models import User
from app.work.checks import Problems
from app.work.lifecycle import (
    apply_changes,
    check_version,
    get_work_record,
    given_fields,
    restore_deleted,
    save_new,
    save_update,
    soft_delete,
)
from app.work.pages import dated_page

RECORD_TYPE = "detection"
REQUIRED = ("detected_on", "polarity", "category", "institution", "description")


# The case, for a write: 403 for roles that never write, then 404 outside the team.
get_writable_case = get_case_for_write


def get_visible_detection(
    session: Session, user: User, detection_id: uuid.UUID, *, include_deleted: bool = False
) -> Detection:
    """A detection of a case the caller may see (404 otherwise)."""
    return get_work_record(
        session,
        user,
        Detection,
        detection_id,
        not_found=DetectionNotFound,
        include_deleted=include_deleted,
        parent="case",
    )


def get_writable_detection(session: Session, user: User, detection_id: uuid.UUID) -> Detection:
    ensure_case_writer(user)
    return get_visible_detection(session, user, detection_id)


def get_restorable_detection(session: Session, user: User, detection_id: uuid.UUID) -> Detection:
    ensure_restorer(user)
    return get_visible_detection(session, user, detection_id, include_deleted=True)


def create_detection(
    session: Session, case: Case, data: DetectionCreate, *, actor: User
) -> Detection:
    """Record a good or bad practice of an institution witnessed in the case."""
    ensure_case_writer(actor)
    problems = Problems()
    problems.past_date("detected_on", data.detected_on, not_before=case.opened_on)
    problems.raise_if_any()
    values = data.model_dump()
    detection = Detection(case_id=case.id, created_by_id=actor.id, **values)
    save_new(session, detection, actor=actor, record_type=RECORD_TYPE, fields=given_fields(values))
    return detection


def list_detections(
    session: Session,
    case: Case,
    *,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    polarity: str | None = None,
) -> tuple[list[Detection], str | None]:
    """The case's detections (deleted ones left out), latest first."""
    stmt = select(Detection).where(Detection.case_id == case.id, Detection.deleted_at.is_(None))
    if polarity is not None:
        stmt = stmt.where(Detection.polarity == polarity)
    return dated_page(session, stmt, Detection, "detected_on", limit=limit, cursor=cursor)


def update_detection(
    session: Session, detection: Detection, data: DetectionUpdate, *, actor: User
) -> Detection:
    """Edit a detection; a stale version is a 409."""
    ensure_case_writer(actor)
    check_version(detection, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    problems = Problems()
    problems.required(changes, REQUIRED)
    if changes.get("detected_on") is not None:
        case = session.get_one(Case, detection.case_id)
        problems.past_date("detected_on", changes["detected_on"], not_before=case.opened_on)
    problems.raise_if_any()
    changed = apply_changes(detection, changes)
    save_update(session, detection, changed, actor=actor, record_type=RECORD_TYPE)
    return detection


def delete_detection(session: Session, detection: Detection, *, version: int, actor: User) -> None:
    """Soft-delete a detection (it leaves Tablas 17-18; a coordinator may restore it)."""
    soft_delete(session, detection, version=version, actor=actor, record_type=RECORD_TYPE)


def restore_detection(
    session: Session, detection: Detection, *, version: int, actor: User
) -> Detection:
    """Bring a deleted detection back (coordinators)."""
    restore_deleted(session, detection, version=version, actor=actor, record_type=RECORD_TYPE)
    return detection
