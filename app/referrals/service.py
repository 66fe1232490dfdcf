"""Referrals in and out: the domain's rules, declared once in `REFERRALS` (list, soft-delete
and restore are the kind's); creating and editing also decide which consent covers an
outgoing referral (app.referrals.consent)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.cases.models import Case
from app.catalogs import ReferralDirection
from app.referrals import consent
from app.referrals.errors import ReferralNotFound
from app.referrals.models import Referral
from app.referrals.schemas import CONSENT_FIELDS, ReferralCreate, ReferralUpdate
from app.scope import ensure_case_writer
from app.users.models import User
from app.victims.models import Victim
from app.work.checks import Problems, case_opened_on
from app.work.kinds import Check, DeletableKind
from app.work.lifecycle import apply_changes, check_version, given_fields

REQUIRED = ("direction", "institution", "referred_on", "reason")
# Checked together, on the record as it will be, whenever one of them is sent.
DATED = {"direction", "referred_on", "external_ref", "external_ref_kind"}


def _check(c: Check[Referral]) -> None:
    c.problems.required(c.sent, REQUIRED)
    if not c.touches(DATED):
        return
    # A referral received may predate the case: it is how the person reached CALP.
    floor = c.opened_on() if c["direction"] == ReferralDirection.outgoing else None
    c.problems.past_date("referred_on", c["referred_on"], not_before=floor)
    if c["external_ref"] and c["external_ref_kind"] is None:
        c.problems.add("external_ref_kind", "external_ref_kind_required")


REFERRALS = DeletableKind(
    Referral, "referral", ReferralNotFound, dated_by="referred_on", check=_check
)


def create_referral(
    session: Session, victim: Victim, data: ReferralCreate, *, actor: User
) -> Referral:
    """A new referral of the victim. An outgoing one records the `data_sharing` consent
    live on its date (the one given, or the one found), or the worker's override; with
    neither, one 422 names `consent_id` beside any other problem, and nothing is stored."""
    ensure_case_writer(actor)
    values = data.model_dump(exclude=set(CONSENT_FIELDS))
    check: Check[Referral] = Check(
        Problems(), values, None, lambda: case_opened_on(session, victim)
    )
    _check(check)
    cover = consent.resolve(session, check, victim.id, data.consent_id, data.consent_override)
    check.problems.raise_if_any()
    record = Referral(victim_id=victim.id, created_by_id=actor.id, consent_id=cover, **values)
    fields = given_fields(values) + (["consent_id"] if cover is not None else [])
    if data.consent_override is not None:
        consent.set_override(record, data.consent_override, actor=actor)
        fields.append("consent_override_reason")
    REFERRALS.save_new(session, record, actor=actor, fields=fields)
    if data.consent_override is not None:
        _audit_override(session, record, actor=actor)
    return record


def update_referral(
    session: Session, record: Referral, data: ReferralUpdate, *, actor: User
) -> Referral:
    """A partial update under the version check (a stale `version` is a 409).

    Consent is decided again only when the update changes `direction` or `referred_on`
    (a form that sends them unchanged changes nothing), or sends `consent_id` or
    `consent_override`: then the referral as it will be must be covered
    (outgoing: the consent live on the new date, or an override, the one it has included;
    incoming: no consent, and the one it had is no longer recorded). Any other edit (an
    outcome, an external reference) leaves consent alone, so referrals made before the
    rule, with no consent, stay editable; an override, once recorded, is never erased.
    """
    ensure_case_writer(actor)
    check_version(record, data.version)
    sent = data.model_dump(exclude_unset=True, exclude={"version"})
    fields = {k: v for k, v in sent.items() if k not in CONSENT_FIELDS}
    check: Check[Referral] = Check(
        Problems(), fields, record, lambda: _opened_on(session, record.victim_id)
    )
    _check(check)
    moved = any(k in sent and sent[k] != getattr(record, k) for k in ("direction", "referred_on"))
    decide = moved or not CONSENT_FIELDS.isdisjoint(sent)
    cover = record.consent_id
    if decide:
        cover = consent.resolve(
            session,
            check,
            record.victim_id,
            data.consent_id,
            data.consent_override,
            overridden=record.consent_overridden_at is not None,
        )
    check.problems.raise_if_any()
    changed = apply_changes(record, fields)
    if cover != record.consent_id:
        record.consent_id = cover
        changed.append("consent_id")
    if data.consent_override is not None:
        consent.set_override(record, data.consent_override, actor=actor)
        changed.append("consent_override_reason")
    REFERRALS.save_update(session, record, changed, actor=actor)
    if data.consent_override is not None:
        _audit_override(session, record, actor=actor)
    return record


def under_consent(session: Session, consent_id: uuid.UUID) -> list[Referral]:
    """The live referrals made under a consent, latest first (shown on its page)."""
    stmt = select(Referral).where(Referral.consent_id == consent_id, Referral.deleted_at.is_(None))
    return list(session.scalars(stmt.order_by(Referral.referred_on.desc(), Referral.id)))


def _audit_override(session: Session, record: Referral, *, actor: User) -> None:
    """The `consent_override` event of the referral (the field's name, never the reason)."""
    fields = ["consent_override_reason"]
    REFERRALS.audit(session, AuditAction.consent_override, record, actor=actor, fields=fields)


def _opened_on(session: Session, victim_id: uuid.UUID) -> date:
    # One column, not the entities: loading a case decrypts its free text too.
    stmt = select(Case.opened_on).join(Victim, Victim.case_id == Case.id)
    opened_on: date = session.execute(stmt.where(Victim.id == victim_id)).scalar_one()
    return opened_on
