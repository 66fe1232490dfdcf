"""What hangs from a victim, listed with its actions: protection measures, consents,
follow-ups (to correct), plans and referrals (to delete); and a case's detections.

The victim and case pages (D's) show the work as one timeline without record ids; these
pages list the records themselves, so each row can carry its buttons.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogs import STAFF_ROLES, CaseStatus, FollowUpKind
from app.consents.service import list_consents
from app.db import SessionDep
from app.detections.service import list_detections
from app.followups.models import FollowUp
from app.plans.service import list_plans
from app.protection.service import list_protection_measures
from app.referrals.service import list_referrals
from app.scope import can_read_narrative, get_visible_case, get_visible_victim
from app.users.models import User
from app.victims.models import Victim
from app.web.forms import parse_id
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter()
LIMIT = 100  # a working list, not an archive (the API pages further)


@dataclass
class FollowUpRow:
    id: uuid.UUID
    occurred_on: date
    kind: FollowUpKind
    superseded: bool
    correction: bool
    correctable: bool


def follow_up_rows(session: Session, user: User, victim: Victim) -> list[FollowUpRow]:
    """Dates and kinds only: no narrative is decrypted (nor audited) for this list."""
    rows = session.execute(
        select(
            FollowUp.id,
            FollowUp.occurred_on,
            FollowUp.kind,
            FollowUp.author_id,
            FollowUp.supersedes_id,
        )
        .where(FollowUp.victim_id == victim.id)
        .order_by(FollowUp.occurred_on.desc(), FollowUp.created_at.desc())
        .limit(LIMIT)
    ).all()
    replaced = set(
        session.scalars(
            select(FollowUp.supersedes_id).where(
                FollowUp.victim_id == victim.id, FollowUp.supersedes_id.is_not(None)
            )
        )
    )
    return [
        FollowUpRow(
            r.id,
            r.occurred_on,
            r.kind,
            r.id in replaced,
            r.supersedes_id is not None,
            r.id not in replaced and can_read_narrative(user, r.kind, r.author_id),
        )
        for r in rows
    ]


@router.get("/victimas/{victim_id}/registros", name="victims:records")
def victim_records(
    request: Request, session: SessionDep, user: WebUser, victim_id: str
) -> Response:
    """Protection measures, consents, follow-ups, plans and referrals of a victim."""
    victim = get_visible_victim(session, user, parse_id(victim_id))
    case = get_visible_case(session, user, victim.case_id)
    return render(
        request,
        "more/records.html",
        {
            "victim": victim,
            "case": case,
            "measures": list_protection_measures(session, victim, limit=LIMIT)[0],
            "consents": list_consents(session, victim, limit=LIMIT)[0],
            "follow_ups": follow_up_rows(session, user, victim),
            "plans": list_plans(session, victim, limit=LIMIT)[0],
            "referrals": list_referrals(session, victim, limit=LIMIT)[0],
            "can_write": user.role in STAFF_ROLES,
            "can_add": user.role in STAFF_ROLES and case.status != CaseStatus.closed,
        },
    )


@router.get("/casos/{case_id}/detecciones", name="cases:detections")
def case_detections(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """The case's detections (good and bad practices), each with its delete button."""
    case = get_visible_case(session, user, parse_id(case_id))
    return render(
        request,
        "more/detections.html",
        {
            "case": case,
            "detections": list_detections(session, case, limit=LIMIT)[0],
            "can_write": user.role in STAFF_ROLES,
        },
    )
