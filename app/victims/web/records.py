"""A victim's records page: what hangs from the victim, listed with its actions (protection
measures and consents to revoke, follow-ups to correct, plans and referrals to delete).

The victim and case pages show the work as one timeline without record ids; this page lists
the records themselves, so each row can carry its buttons.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.catalogs import STAFF_ROLES, CaseStatus
from app.consents.service import CONSENTS
from app.db import SessionDep
from app.followups.web import follow_up_rows
from app.plans.service import PLANS
from app.protection.service import MEASURES
from app.referrals.service import REFERRALS
from app.scope import get_visible_case, get_visible_victim
from app.web.forms import parse_id
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter()
LIMIT = 100  # a working list, not an archive (the API pages further)


@router.get("/victimas/{victim_id}/registros", name="victims:records")
def victim_records(
    request: Request, session: SessionDep, user: WebUser, victim_id: str
) -> Response:
    """Protection measures, consents, follow-ups, plans and referrals of a victim."""
    victim = get_visible_victim(session, user, parse_id(victim_id))
    case = get_visible_case(session, user, victim.case_id)
    return render(
        request,
        "victims/records.html",
        {
            "victim": victim,
            "case": case,
            "measures": MEASURES.page(session, victim, limit=LIMIT)[0],
            "consents": CONSENTS.page(session, victim, limit=LIMIT)[0],
            "follow_ups": follow_up_rows(session, user, victim, limit=LIMIT),
            "plans": PLANS.page(session, victim, limit=LIMIT)[0],
            "referrals": REFERRALS.page(session, victim, limit=LIMIT)[0],
            "can_write": user.role in STAFF_ROLES,
            "can_add": user.role in STAFF_ROLES and case.status != CaseStatus.closed,
        },
    )
