"""Consents per purpose: given and revoked (revocation keeps the row); listed by `CONSENTS`."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from app.catalogs import ConsentPurpose
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


def live_on(on: date) -> ColumnElement[bool]:
    """A consent in force on `on`: given that day or before and not revoked by then (a
    revocation takes effect on its date)."""
    return and_(Consent.given_on <= on, or_(Consent.revoked_on.is_(None), Consent.revoked_on > on))


def live_data_sharing(
    session: Session, victim_id: uuid.UUID, on: date, *, consent_id: uuid.UUID | None = None
) -> Consent | None:
    """The victim's `data_sharing` consent live on `on` (the latest given, should two
    overlap), or, with `consent_id`, that consent if it is one; else None."""
    stmt = select(Consent).where(
        Consent.victim_id == victim_id,
        Consent.purpose == ConsentPurpose.data_sharing,
        live_on(on),
    )
    if consent_id is not None:
        stmt = stmt.where(Consent.id == consent_id)
    return session.scalar(stmt.order_by(Consent.given_on.desc(), Consent.id).limit(1))


def data_sharing_consents(session: Session, victim_id: uuid.UUID) -> list[Consent]:
    """The victim's `data_sharing` consents, latest given first (revoked ones included)."""
    stmt = select(Consent).where(
        Consent.victim_id == victim_id, Consent.purpose == ConsentPurpose.data_sharing
    )
    return list(session.scalars(stmt.order_by(Consent.given_on.desc(), Consent.id)))


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
