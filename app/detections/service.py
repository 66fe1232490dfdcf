"""Detections of practices: create, list, edit, soft-delete and restore."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.cases.models import Case
from app.detections.errors import DetectionNotFound
from app.detections.models import Detection
from app.detections.schemas import DetectionCreate, DetectionUpdate
from app.followups.shared import (
    Problems,
    apply_changes,
    ensure_coordinator,
    ensure_version,
    keyset_page,
    record_write,
    restore_deleted,
    soft_delete,
    touch,
)
from app.pagination import DEFAULT_LIMIT
from app.scope import ensure_case_reader, ensure_case_writer, get_visible_case, visible_cases
from app.users.models import User

RECORD_TYPE = "detection"
REQUIRED = ("detected_on", "polarity", "category", "institution", "description")


def get_writable_case(session: Session, user: User, case_id: uuid.UUID) -> Case:
    """The case, for a write: 403 for roles that never write, then 404 outside the team."""
    ensure_case_writer(user)
    return get_visible_case(session, user, case_id)


def get_visible_detection(session: Session, user: User, detection_id: uuid.UUID, *,
                          include_deleted: bool = False) -> Detection:
    """A detection of a case the caller may see (404 otherwise)."""
    ensure_case_reader(user)
    case_ids = visible_cases(user).with_only_columns(Case.id)
    stmt = select(Detection).where(Detection.id == detection_id,
                                   Detection.case_id.in_(case_ids))
    if not include_deleted:
        stmt = stmt.where(Detection.deleted_at.is_(None))
    detection = session.scalar(stmt)
    if detection is None:
        raise DetectionNotFound()
    return detection


def get_writable_detection(session: Session, user: User, detection_id: uuid.UUID) -> Detection:
    ensure_case_writer(user)
    return get_visible_detection(session, user, detection_id)


def get_restorable_detection(session: Session, user: User,
                             detection_id: uuid.UUID) -> Detection:
    ensure_coordinator(user)
    return get_visible_detection(session, user, detection_id, include_deleted=True)


def create_detection(session: Session, case: Case, data: DetectionCreate, *,
                     actor: User) -> Detection:
    """Record a good or bad practice of an institution witnessed in the case."""
    ensure_case_writer(actor)
    problems = Problems()
    problems.past_date("detected_on", data.detected_on, not_before=case.opened_on)
    problems.raise_if_any()
    values = data.model_dump()
    detection = Detection(case_id=case.id, created_by_id=actor.id, **values)
    session.add(detection)
    session.flush()
    record_write(session, AuditAction.create, actor=actor, record_type=RECORD_TYPE,
                 record_id=detection.id, fields=[k for k, v in values.items() if v is not None])
    return detection


def list_detections(session: Session, case: Case, *, limit: int = DEFAULT_LIMIT,
                    cursor: str | None = None, polarity: str | None = None
                    ) -> tuple[list[Detection], str | None]:
    """The case's detections (deleted ones left out), latest first."""
    stmt = select(Detection).where(Detection.case_id == case.id, Detection.deleted_at.is_(None))
    if polarity is not None:
        stmt = stmt.where(Detection.polarity == polarity)
    return keyset_page(session, stmt, [(Detection.detected_on, date),
                                       (Detection.created_at, datetime),
                                       (Detection.id, uuid.UUID)], limit=limit, cursor=cursor)


def update_detection(session: Session, detection: Detection, data: DetectionUpdate, *,
                     actor: User) -> Detection:
    """Edit a detection; a stale version is a 409."""
    ensure_case_writer(actor)
    ensure_version(detection, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    problems = Problems()
    for name in REQUIRED:
        if name in changes and changes[name] is None:
            problems.add(name, "Este campo es obligatorio.")
    if changes.get("detected_on") is not None:
        case = session.get_one(Case, detection.case_id)
        problems.past_date("detected_on", changes["detected_on"], not_before=case.opened_on)
    problems.raise_if_any()
    changed = apply_changes(detection, changes)
    touch(detection)
    session.flush()
    record_write(session, AuditAction.update, actor=actor, record_type=RECORD_TYPE,
                 record_id=detection.id, fields=changed or ["version"])
    return detection


def delete_detection(session: Session, detection: Detection, *, version: int,
                     actor: User) -> None:
    """Soft-delete a detection (it leaves Tablas 17-18; a coordinator may restore it)."""
    ensure_case_writer(actor)
    soft_delete(session, detection, version=version, actor=actor, record_type=RECORD_TYPE)


def restore_detection(session: Session, detection: Detection, *, version: int,
                      actor: User) -> Detection:
    """Bring a deleted detection back (coordinators)."""
    ensure_coordinator(actor)
    restore_deleted(session, detection, version=version, actor=actor, record_type=RECORD_TYPE)
    return detection
