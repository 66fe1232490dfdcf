"""Consent that sharing obeys: an outgoing referral sends the person's data to another
institution, so it is covered by the victim's `data_sharing` consent live on its date, or
by an override a worker records with a reason (an emergency: a child in danger). Overrides
are audited (`consent_override`) and listed for the coordinators of the team.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import Institution, ReferralDirection, Role
from app.consents.service import live_data_sharing
from app.db import utcnow
from app.errors import NotAllowed
from app.referrals.models import Referral
from app.referrals.schemas import ConsentOverride
from app.scope import visible_victims
from app.users.models import User
from app.victims.models import Victim
from app.work.kinds import Check


def resolve(
    session: Session,
    check: Check[Referral],
    victim_id: uuid.UUID,
    consent_id: uuid.UUID | None,
    override: ConsentOverride | None,
    *,
    overridden: bool = False,
) -> uuid.UUID | None:
    """The consent that covers the referral as it will be (`check`), or None; its problems
    go to `check.problems`. `overridden`: the referral already holds an override."""
    problems = check.problems
    if check["direction"] != ReferralDirection.outgoing:
        for name, given in (("consent_id", consent_id), ("consent_override", override)):
            if given is not None:
                problems.add(name, "consent_outgoing_only")
        return None
    on: date | None = check["referred_on"]
    if on is None:
        return None  # a missing date is a problem of its own
    live = live_data_sharing(session, victim_id, on, consent_id=consent_id)
    if live is None and consent_id is not None:
        problems.add("consent_id", "consent_not_live")
    elif live is not None:
        if override is not None:
            problems.add("consent_override", "consent_override_not_needed")
        return live.id
    elif override is None and not overridden:
        problems.add("consent_id", "consent_required")
    return None


def set_override(record: Referral, override: ConsentOverride, *, actor: User) -> None:
    """Record who overrode the missing consent, when, and why (the reason is sealed)."""
    record.consent_override_reason = override.reason
    record.consent_overridden_at = utcnow()
    record.consent_overridden_by_id = actor.id


@dataclass(frozen=True)
class OverrideRow:
    """One override on the coordinator's list."""

    referral_id: uuid.UUID
    victim_id: uuid.UUID
    case_code: str
    victim_code: str
    referred_on: date
    institution: Institution
    overridden_at: datetime
    overridden_by: str | None
    reason: str | None


def overrides(session: Session, user: User, *, limit: int = 200) -> list[OverrideRow]:
    """The consent overrides of live referrals in the caller's teams, newest first.

    Scope is app.scope's (`visible_victims`): a victim outside the caller's teams is simply
    not there. The reason is the referral's free text, which every reader of the referral
    may read (the coordinators of the team included: they judge whether the emergency
    justified sharing without consent). Only coordinators review them (403 for others).
    """
    if user.role != Role.coordinator:
        raise NotAllowed("consent_overrides_coordinators_only")
    victims = visible_victims(user).with_only_columns(Victim.id)
    stmt = (
        select(Referral, Victim.code, Case.code, User.full_name, User.username)
        .join(Victim, Victim.id == Referral.victim_id)
        .join(Case, Case.id == Victim.case_id)
        .outerjoin(User, User.id == Referral.consent_overridden_by_id)
        .where(
            Referral.victim_id.in_(victims),
            Referral.deleted_at.is_(None),
            Referral.consent_overridden_at.is_not(None),
        )
        .order_by(Referral.consent_overridden_at.desc(), Referral.id)
        .limit(limit)
    )
    return [_row(*row) for row in session.execute(stmt)]


def _row(referral: Referral, victim_code: str, case_code: str, *who: Any) -> OverrideRow:
    full_name, username = who
    assert referral.consent_overridden_at is not None  # the query asks for overrides
    return OverrideRow(
        referral_id=referral.id,
        victim_id=referral.victim_id,
        case_code=case_code,
        victim_code=victim_code,
        referred_on=referral.referred_on,
        institution=referral.institution,
        overridden_at=referral.consent_overridden_at,
        overridden_by=full_name or username,
        reason=referral.consent_override_reason,
    )
