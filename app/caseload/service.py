"""Assignments of staff to cases: who may be assigned, one lead, ending, reassignment.

Rules (api.md, "Caseload"): only active staff (psychologists, lawyers, social workers) of
the case's team are assigned (else 422); a case has at most one current lead, so a new lead
ends the previous one; an ended assignment stays in the history and ending it again is 409;
an assignment of a case outside the caller's teams is not found (404). Every write is
audited (record type `assignment`, field names only).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from app.audit.models import AuditAction
from app.caseload.errors import AssignmentEnded, AssignmentExists, AssignmentNotFound, TeamNotFound
from app.caseload.models import Assignment
from app.caseload.schemas import AssignmentCreate, AssignmentEnd, Reassign, ReassignResult
from app.cases.models import Case
from app.catalogs import STAFF_ROLES, Responsibility, Role, Team
from app.db import today
from app.errors import InvalidInput, NotAllowed
from app.scope import ensure_case_reader, visible_cases
from app.users.models import User, UserTeam
from app.work.lifecycle import record_write

RECORD_TYPE = "assignment"


def team_staff(team: Team, *, active_only: bool = True) -> Select[User]:
    """The staff (roles that do case work) of one team, by name."""
    stmt = (
        select(User)
        .join(UserTeam, UserTeam.user_id == User.id)
        .where(UserTeam.team == team, User.role.in_(STAFF_ROLES))
        .order_by(User.full_name, User.username)
    )
    return stmt.where(User.active.is_(True)) if active_only else stmt


def staff_of_team(session: Session, user: User, team: Team) -> list[User]:
    """Staff of a team, inactive ones included (marked): for its members and coordinators."""
    ensure_case_reader(user)
    if team not in user.teams:
        raise TeamNotFound()
    return list(session.scalars(team_staff(team, active_only=False)))


def _assignable(session: Session, user_id: uuid.UUID, team: Team) -> User | None:
    found: User | None = session.scalar(team_staff(team).where(User.id == user_id))
    return found


def current(session: Session, case_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Assignment]]:
    """The current assignments of these cases (each with its user), lead first."""
    ids = list(dict.fromkeys(case_ids))
    out: dict[uuid.UUID, list[Assignment]] = {i: [] for i in ids}
    if not ids:
        return out
    order = [r.value for r in Responsibility]
    rows = session.scalars(
        select(Assignment)
        .options(joinedload(Assignment.user))
        .where(Assignment.case_id.in_(ids), Assignment.until.is_(None))
        .order_by(Assignment.since, Assignment.id)
    )
    for a in sorted(rows, key=lambda a: order.index(a.responsibility)):
        out[a.case_id].append(a)
    return out


def history(session: Session, case_id: uuid.UUID) -> list[Assignment]:
    """Every assignment of a case, ended ones included, newest first (the case page)."""
    return list(
        session.scalars(
            select(Assignment)
            .options(joinedload(Assignment.user))
            .where(Assignment.case_id == case_id)
            .order_by(Assignment.since.desc(), Assignment.created_at.desc())
        )
    )


def _end(
    session: Session, a: Assignment, *, on: date, actor: User, detail: str | None = None
) -> None:
    a.until = max(on, a.since)
    a.ended_by_id = actor.id
    session.flush()
    record_write(
        session,
        AuditAction.update,
        a,
        actor=actor,
        record_type=RECORD_TYPE,
        fields=["until"],
        detail=detail,
    )


def _new(
    session: Session,
    case_id: uuid.UUID,
    user: User,
    responsibility: Responsibility,
    *,
    actor: User,
    detail: str | None = None,
) -> Assignment:
    a = Assignment(
        case_id=case_id,
        user_id=user.id,
        responsibility=responsibility,
        since=today(),
        assigned_by_id=actor.id,
    )
    a.user = user
    session.add(a)
    session.flush()
    fields = ["case_id", "user_id", "responsibility", "since"]
    record_write(
        session,
        AuditAction.create,
        a,
        actor=actor,
        record_type=RECORD_TYPE,
        fields=fields,
        detail=detail,
    )
    return a


def _holding(
    session: Session, case_id: uuid.UUID, responsibility: Responsibility
) -> list[Assignment]:
    return list(
        session.scalars(
            select(Assignment).where(
                Assignment.case_id == case_id,
                Assignment.responsibility == responsibility,
                Assignment.until.is_(None),
            )
        )
    )


def assign(session: Session, case: Case, data: AssignmentCreate, *, actor: User) -> Assignment:
    """Put a member of the case's team in charge of one part of its work (`case` comes from
    the caller's scope); a new lead ends the current one."""
    ensure_case_reader(actor)
    user = _assignable(session, data.user_id, case.team)
    if user is None:
        raise InvalidInput("user_id", "assignee_not_team_staff")
    holders = _holding(session, case.id, data.responsibility)
    if any(h.user_id == user.id for h in holders):
        raise AssignmentExists()
    if data.responsibility == Responsibility.lead:
        for previous in holders:
            _end(session, previous, on=today(), actor=actor, detail="new_lead")
    return _new(session, case.id, user, data.responsibility, actor=actor)


def visible_assignment(session: Session, user: User, assignment_id: uuid.UUID) -> Assignment:
    """An assignment of a case the caller may see (else 404)."""
    ensure_case_reader(user)
    case_ids = visible_cases(user).with_only_columns(Case.id)
    found = session.scalar(
        select(Assignment)
        .options(joinedload(Assignment.user))
        .where(Assignment.id == assignment_id, Assignment.case_id.in_(case_ids))
    )
    if found is None:
        raise AssignmentNotFound()
    return found


def end(session: Session, a: Assignment, data: AssignmentEnd, *, actor: User) -> Assignment:
    """End an assignment (kept in the history): 409 when it already ended."""
    ensure_case_reader(actor)
    if a.until is not None:
        raise AssignmentEnded()
    on = data.until or today()
    if on > today() or on < a.since:
        raise InvalidInput("until", "assignment_until_invalid")
    _end(session, a, on=on, actor=actor)
    return a


def end_team_assignments(
    session: Session, case: Case, actor: User, *, on: date | None = None
) -> int:
    """End every current assignment of a case (a transfer accepted by another team: the
    sending team stops being in charge). Returns how many ended."""
    ended = 0
    for a in session.scalars(
        select(Assignment).where(Assignment.case_id == case.id, Assignment.until.is_(None))
    ):
        _end(session, a, on=on or today(), actor=actor, detail="transferred")
        ended += 1
    return ended


def ensure_coordinator(user: User) -> None:
    if user.role != Role.coordinator:
        raise NotAllowed("caseload_coordinators_only")


def coordinated_teams(user: User, team: Team | None) -> list[Team]:
    """The teams a coordinator's request covers: `team` (one of theirs, else 404) or all."""
    ensure_coordinator(user)
    if team is None:
        return list(user.teams)
    if team not in user.teams:
        raise TeamNotFound()
    return [team]


def reassign(session: Session, data: Reassign, *, actor: User) -> ReassignResult:
    """Move every current assignment of one person (optionally of one team and one
    responsibility) to another, in the coordinator's teams: each one ended and a new one
    made. Cases of teams the new person is not in are left as they are, as `skipped`."""
    teams = coordinated_teams(actor, data.team)
    to = session.get(User, data.to_user_id)
    if to is None or not to.active or to.role not in STAFF_ROLES:
        raise InvalidInput("to_user_id", "assignee_not_team_staff")
    stmt = (
        select(Assignment, Case.code, Case.team)
        .join(Case, Case.id == Assignment.case_id)
        .where(
            Assignment.user_id == data.from_user_id,
            Assignment.until.is_(None),
            Case.team.in_(teams),
            Case.deleted_at.is_(None),
        )
        .order_by(Case.code, Assignment.responsibility)
    )
    if data.responsibility is not None:
        stmt = stmt.where(Assignment.responsibility == data.responsibility)
    moved, skipped = 0, []
    for a, code, team in session.execute(stmt).all():
        if to.id == a.user_id:
            continue
        if team not in to.teams:
            skipped.append(
                {"case_id": a.case_id, "case_code": code, "responsibility": a.responsibility}
            )
            continue
        _end(session, a, on=today(), actor=actor, detail="reassigned")
        if not any(h.user_id == to.id for h in _holding(session, a.case_id, a.responsibility)):
            _new(session, a.case_id, to, a.responsibility, actor=actor, detail="reassigned")
        moved += 1
    return ReassignResult.model_validate({"moved": moved, "skipped": skipped})


def assigned_case_ids(user: User) -> Select[uuid.UUID]:
    """Ids of the cases where the user holds a current assignment (`?assigned=me`)."""
    return select(Assignment.case_id).where(
        Assignment.user_id == user.id, Assignment.until.is_(None)
    )
