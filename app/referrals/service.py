"""Referrals in and out: create, list, edit, soft-delete and restore."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogs import ReferralDirection
from app.pagination import DEFAULT_LIMIT
from app.referrals.errors import ReferralNotFound
from app.referrals.models import Referral
from app.referrals.schemas import ReferralCreate, ReferralUpdate
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

RECORD_TYPE = "referral"
REQUIRED = ("direction", "institution", "referred_on", "reason")


def get_visible_referral(
    session: Session, user: User, referral_id: uuid.UUID, *, include_deleted: bool = False
) -> Referral:
    """A referral of a victim the caller may see (404 otherwise)."""
    return get_work_record(
        session,
        user,
        Referral,
        referral_id,
        not_found=ReferralNotFound,
        include_deleted=include_deleted,
    )


def get_writable_referral(session: Session, user: User, referral_id: uuid.UUID) -> Referral:
    ensure_case_writer(user)
    return get_visible_referral(session, user, referral_id)


def get_restorable_referral(session: Session, user: User, referral_id: uuid.UUID) -> Referral:
    ensure_restorer(user)
    return get_visible_referral(session, user, referral_id, include_deleted=True)


def _check(problems: Problems, values: dict[str, Any], opened_on: date) -> None:
    # A referral received may predate the case: it is how the person reached CALP.
    floor = opened_on if values["direction"] == ReferralDirection.outgoing else None
    problems.past_date("referred_on", values["referred_on"], not_before=floor)
    if values.get("external_ref") and values.get("external_ref_kind") is None:
        problems.add("external_ref_kind", "Indique de qué sistema es la referencia externa.")


def create_referral(
    session: Session, victim: Victim, data: ReferralCreate, *, actor: User
) -> Referral:
    """Record a referral to (out) or from (in) an institution."""
    ensure_case_writer(actor)
    values = data.model_dump()
    problems = Problems()
    _check(problems, values, case_opened_on(session, victim))
    problems.raise_if_any()
    referral = Referral(victim_id=victim.id, created_by_id=actor.id, **values)
    save_new(session, referral, actor=actor, record_type=RECORD_TYPE, fields=given_fields(values))
    return referral


def list_referrals(
    session: Session, victim: Victim, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> tuple[list[Referral], str | None]:
    """The victim's referrals (deleted ones left out), latest first."""
    stmt = select(Referral).where(Referral.victim_id == victim.id, Referral.deleted_at.is_(None))
    return dated_page(session, stmt, Referral, "referred_on", limit=limit, cursor=cursor)


def update_referral(
    session: Session, referral: Referral, data: ReferralUpdate, *, actor: User
) -> Referral:
    """Edit a referral (e.g. its outcome); a stale version is a 409."""
    ensure_case_writer(actor)
    check_version(referral, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    problems = Problems()
    problems.required(changes, REQUIRED)
    problems.raise_if_any()
    merged = {c: getattr(referral, c) for c in ReferralCreate.model_fields} | changes
    if changes.keys() & {"direction", "referred_on", "external_ref", "external_ref_kind"}:
        victim = session.get_one(Victim, referral.victim_id)
        _check(problems, merged, case_opened_on(session, victim))
        problems.raise_if_any()
    changed = apply_changes(referral, changes)
    save_update(session, referral, changed, actor=actor, record_type=RECORD_TYPE)
    return referral


def delete_referral(session: Session, referral: Referral, *, version: int, actor: User) -> None:
    """Soft-delete a referral (a coordinator may restore it)."""
    soft_delete(session, referral, version=version, actor=actor, record_type=RECORD_TYPE)


def restore_referral(
    session: Session, referral: Referral, *, version: int, actor: User
) -> Referral:
    """Bring a deleted referral back (coordinators)."""
    restore_deleted(session, referral, version=version, actor=actor, record_type=RECORD_TYPE)
    return referral
