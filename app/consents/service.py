"""Consents per purpose: given and revoked (revocation keeps the row); listed by `CONSENTS`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.consents.errors import ConsentAlreadyGiven, ConsentAlreadyRevoked, ConsentNotFound
from app.consents.models import Consent
from app.consents.schemas import ConsentCreate, ConsentRevoke
from app.scope import ensure_case_writer
from app.users.models import User
from app.victims.models import Victim
from app.work.checks import case_opened_on, ensure_past_date
from app.work.kinds import WorkKind
from app.work.lifecycle import check_version

# Revoked, never deleted: the list shows revoked ones too (they are part of the record).
CONSENTS = WorkKind(Consent, "consent", ConsentNotFound, dated_by="given_on")


def create_consent(
    session: Session, victim: Victim, data: ConsentCreate, *, actor: User
) -> Consent:
    """Record a consent for one purpose (one in force per purpose: 409 otherwise)."""
    ensure_case_writer(actor)
    ensure_past_date("given_on", data.given_on, not_before=case_opened_on(session, victim))
    in_force = session.scalar(
        select(Consent.id).where(
            Consent.victim_id == victim.id,
            Consent.purpose == data.purpose,
            Consent.revoked_on.is_(None),
        )
    )
    if in_force is not None:
        raise ConsentAlreadyGiven()
    return CONSENTS.create(session, victim, data, actor=actor)


def revoke_consent(
    session: Session, consent: Consent, data: ConsentRevoke, *, actor: User
) -> Consent:
    """Date the revocation of a consent (409 if already revoked or the version is stale)."""
    ensure_case_writer(actor)
    if consent.revoked_on is not None:
        raise ConsentAlreadyRevoked()
    check_version(consent, data.version)
    ensure_past_date(
        "revoked_on",
        data.revoked_on,
        not_before=consent.given_on,
        not_before_code="revoked_before_given",
    )
    consent.revoked_on = data.revoked_on
    return CONSENTS.save_update(session, consent, ["revoked_on"], actor=actor)
