"""Who may see and do what: the one place where record scope is decided.

Every read of case work starts from `visible_cases()` / `visible_victims()`, so team scope
lives in the queries. A record outside the caller's teams is simply not found (404, its
existence not revealed); an action the caller's role may never do is 403.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import STAFF_ROLES, FollowUpKind, Role
from app.errors import NotAllowed, NotFound
from app.users.models import User
from app.victims.models import Victim

RecordT = TypeVar("RecordT", Case, Victim)

CASE_READERS = STAFF_ROLES | {Role.coordinator}


class CaseNotFound(NotFound):
    code = "case_not_found"


class VictimNotFound(NotFound):
    code = "victim_not_found"


def ensure_case_reader(user: User) -> None:
    """Admin and visualiser never reach case work (no identity, no narrative, ever)."""
    if user.role not in CASE_READERS:
        raise NotAllowed("no_case_access")


def ensure_case_writer(user: User) -> None:
    """Only psychologists, lawyers and social workers write case work."""
    if user.role not in STAFF_ROLES:
        raise NotAllowed("case_write_not_allowed")


def ensure_restorer(user: User) -> None:
    """Only coordinators bring deleted records back (for their own teams)."""
    if user.role != Role.coordinator:
        raise NotAllowed("restore_coordinators_only")


def visible_cases(user: User, *, include_deleted: bool = False) -> Select[Case]:
    """Cases of the caller's teams (none for roles outside case work)."""
    stmt = select(Case)
    if user.role not in CASE_READERS:
        return stmt.where(false())
    stmt = stmt.where(Case.team.in_(user.teams))
    if not include_deleted:
        stmt = stmt.where(Case.deleted_at.is_(None))
    return stmt


def visible_victims(user: User, *, include_deleted: bool = False) -> Select[Victim]:
    """Victims whose case belongs to one of the caller's teams."""
    stmt = select(Victim).join(Case, Victim.case_id == Case.id)
    if user.role not in CASE_READERS:
        return stmt.where(false())
    stmt = stmt.where(Case.team.in_(user.teams))
    if not include_deleted:
        stmt = stmt.where(Victim.deleted_at.is_(None), Case.deleted_at.is_(None))
    return stmt


def _one_visible(
    session: Session, user: User, stmt: Select[RecordT], not_found: type[NotFound]
) -> RecordT:
    """The one record a scoped query finds (a record of another team is not found)."""
    ensure_case_reader(user)
    record = session.scalar(stmt)
    if record is None:
        raise not_found()
    return record


def get_visible_case(
    session: Session, user: User, case_id: uuid.UUID, *, include_deleted: bool = False
) -> Case:
    stmt = visible_cases(user, include_deleted=include_deleted).where(Case.id == case_id)
    return _one_visible(session, user, stmt, CaseNotFound)


def get_visible_victim(
    session: Session, user: User, victim_id: uuid.UUID, *, include_deleted: bool = False
) -> Victim:
    stmt = visible_victims(user, include_deleted=include_deleted).where(Victim.id == victim_id)
    return _one_visible(session, user, stmt, VictimNotFound)


def can_read_identity(user: User) -> bool:
    """Identity is for the team in charge (staff and coordinators), never admin."""
    return user.role in CASE_READERS


def can_read_narrative(user: User, kind: FollowUpKind, author_id: uuid.UUID | None) -> bool:
    """Psychological narratives: the team's psychologists and the author only.

    Other narratives: the team's staff. Coordinators never read narratives of
    psychological follow-ups; admin never reaches case work at all.
    """
    if user.role not in CASE_READERS:
        return False
    if kind == FollowUpKind.psychological:
        return user.role == Role.psychologist or author_id == user.id
    return True
