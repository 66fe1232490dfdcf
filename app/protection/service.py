"""Protection measures: create, list, edit, soft-delete and restore."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.pagination import DEFAULT_LIMIT
from app.protection.errors import MeasureNotFound
from app.protection.models import ProtectionMeasure
from app.protection.schemas import MeasureCreate, MeasureUpdate
from app.scope import ensure_case_writer, ensure_restorer
from app.users.models import User
from app.victims.models import Victim
from app.work.checks import Problems, case_opened_on
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

RECORD_TYPE = "protection_measure"
REQUIRED = ("kind", "institution", "granted_on")
ENDS_AFTER = "La fecha de término no puede ser anterior a la de otorgamiento."


def get_visible_measure(
    session: Session, user: User, measure_id: uuid.UUID, *, include_deleted: bool = False
) -> ProtectionMeasure:
    """A measure of a victim the caller may see (404 otherwise)."""
    return get_work_record(
        session,
        user,
        ProtectionMeasure,
        measure_id,
        not_found=MeasureNotFound,
        include_deleted=include_deleted,
    )


def get_writable_measure(session: Session, user: User, measure_id: uuid.UUID) -> ProtectionMeasure:
    ensure_case_writer(user)
    return get_visible_measure(session, user, measure_id)


def get_restorable_measure(
    session: Session, user: User, measure_id: uuid.UUID
) -> ProtectionMeasure:
    ensure_restorer(user)
    return get_visible_measure(session, user, measure_id, include_deleted=True)


def _check(problems: Problems, values: dict[str, Any], opened_on: date | None) -> None:
    problems.past_date("granted_on", values["granted_on"], not_before=opened_on)
    problems.not_before("ends_on", values.get("ends_on"), values["granted_on"], ENDS_AFTER)


def create_protection_measure(
    session: Session, victim: Victim, data: MeasureCreate, *, actor: User
) -> ProtectionMeasure:
    """Record a protection measure granted to the victim by an institution."""
    ensure_case_writer(actor)
    values = data.model_dump()
    problems = Problems()
    _check(problems, values, case_opened_on(session, victim))
    problems.raise_if_any()
    measure = ProtectionMeasure(victim_id=victim.id, created_by_id=actor.id, **values)
    save_new(session, measure, actor=actor, record_type=RECORD_TYPE, fields=given_fields(values))
    return measure


def list_protection_measures(
    session: Session, victim: Victim, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> tuple[list[ProtectionMeasure], str | None]:
    """The victim's measures (deleted ones left out), latest granted first."""
    m = ProtectionMeasure
    stmt = select(m).where(m.victim_id == victim.id, m.deleted_at.is_(None))
    return dated_page(session, stmt, m, "granted_on", limit=limit, cursor=cursor)


def update_protection_measure(
    session: Session, measure: ProtectionMeasure, data: MeasureUpdate, *, actor: User
) -> ProtectionMeasure:
    """Edit a measure (e.g. set its end); a stale version is a 409."""
    ensure_case_writer(actor)
    check_version(measure, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    problems = Problems()
    problems.required(changes, REQUIRED)
    problems.raise_if_any()
    if changes.keys() & {"granted_on", "ends_on"}:
        merged = {"granted_on": measure.granted_on, "ends_on": measure.ends_on} | changes
        opened_on = None
        if "granted_on" in changes:
            opened_on = case_opened_on(session, session.get_one(Victim, measure.victim_id))
        _check(problems, merged, opened_on)
        problems.raise_if_any()
    changed = apply_changes(measure, changes)
    save_update(session, measure, changed, actor=actor, record_type=RECORD_TYPE)
    return measure


def delete_protection_measure(
    session: Session, measure: ProtectionMeasure, *, version: int, actor: User
) -> None:
    """Soft-delete a measure (a coordinator may restore it)."""
    soft_delete(session, measure, version=version, actor=actor, record_type=RECORD_TYPE)


def restore_protection_measure(
    session: Session, measure: ProtectionMeasure, *, version: int, actor: User
) -> ProtectionMeasure:
    """Bring a deleted measure back (coordinators)."""
    restore_deleted(session, measure, version=version, actor=actor, record_type=RECORD_TYPE)
    return measure
