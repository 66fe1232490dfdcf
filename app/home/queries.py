"""The home page's lists (open cases; what is due comes from app.agenda), always starting
from app.scope's builders."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import CaseStatus
from app.scope import visible_cases
from app.users.models import User

OPEN_STATUSES = (CaseStatus.open, CaseStatus.follow_up)


def open_cases(session: Session, user: User, *, limit: int = 25) -> list[Case]:
    """The caller's teams' cases not yet closed, most recent first."""
    stmt = (
        visible_cases(user)
        .where(Case.status.in_(OPEN_STATUSES))
        .order_by(Case.opened_on.desc(), Case.code.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
