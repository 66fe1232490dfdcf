"""Consents per purpose: given, listed and revoked (revocation keeps the row)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.consents.errors import ConsentAlreadyGiven, ConsentAlreadyRevoked, ConsentNotFound
from app.consents.models import Consent
from app.consents.schemas import ConsentCreate, ConsentRevoke
from app.pagination import DEFAULT_LIMIT
from app.scope import ensure_case_writer
from app.users.models import User
from app.victims.models import Victim
from app.work.checks import Problems, case_opened_on
from app.work.lifecycle import check_version, get_work_record, record_write, save_new
from app.work.pages import dated_page

RECORD_TYPE = "consent"
REVOKED_AFTER = "La revocación no puede ser anterior a la fecha del consentimiento."


def get_visible_consent(session: Session, user: User, consent_id: uuid.UUID) -> Consent:
    """A consent of a victim the caller may see (404 otherwise)."""
    return get_work_record(session, user, Consent, consent_id, not_found=ConsentNotFound)


def get_writable_consent(session: Session, user: User, consent_id: uuid.UUID) -> Consent:
    ensure_case_writer(user)
    return get_visible_consent(session, user, consent_id)


def create_consent(
    session: Session, victim: Victim, data: ConsentCreate, *, actor: User
) -> Consent:
    """Record a consent for one purpose (one in force per purpose: 409 otherwise)."""
    ensure_case_writer(actor)
    problems = Problems()
    problems.past_date("given_on", data.given_on, not_before=case_opened_on(session, victim))
    problems.raise_if_any()
    in_force = session.scalar(
        select(Consent.id).where(
            Consent.victim_id == victim.id,
            Consent.purpose == data.purpose,
            Consent.revoked_on.is_(None),
        )
    )
    if in_force is not None:
        raise ConsentAlreadyGiven()
    consent = Consent(
        victim_id=victim.id, purpose=data.purpose, given_on=data.given_on, created_by_id=actor.id
    )
    save_new(session, consent, actor=actor, record_type=RECORD_TYPE, fields=["purpose", "given_on"])
    return consent


def list_consents(
    session: Session, victim: Victim, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> tuple[list[Consent], str | None]:
    """The victim's consents, revoked ones included (they are part of the record)."""
    stmt = select(Consent).where(Consent.victim_id == victim.id)
    return dated_page(session, stmt, Consent, "given_on", limit=limit, cursor=cursor)


def revoke_consent(
    session: Session, consent: Consent, data: ConsentRevoke, *, actor: User
) -> Consent:
    """Date the revocation of a consent (409 if already revoked or the version is stale)."""
    ensure_case_writer(actor)
    if consent.revoked_on is not None:
        raise ConsentAlreadyRevoked()
    check_version(consent, data.version)
    problems = Problems()
    problems.past_date(
        "revoked_on", data.revoked_on, not_before=consent.given_on, not_before_msg=REVOKED_AFTER
    )
    problems.raise_if_any()
    consent.revoked_on = data.revoked_on
    session.flush()
    record_write(
        session,
        AuditAction.update,
        actor=actor,
        record_type=RECORD_TYPE,
        record_id=consent.id,
        fields=["revoked_on"],
    )
    return consent
