"""What the caseload shows: per worker of a team their open cases, victims and overdue
items (coordinators), the open cases nobody active leads ("sin responsable"), and the
signed-in worker's own cases ("Mis casos")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, distinct, exists, func, select
from sqlalchemy.orm import Session

from app.agenda.schemas import AgendaItem
from app.agenda.service import next_due_by_victim, overdue_count_by_user
from app.caseload.models import Assignment
from app.caseload.schemas import Caseload
from app.caseload.service import coordinated_teams
from app.cases.models import Case
from app.catalogs import STAFF_ROLES, CaseStatus, Responsibility, Team
from app.scope import ensure_case_reader, visible_cases
from app.users.models import User, UserTeam
from app.victims.models import Victim

MY_CASES_LIMIT = 100


def open_cases(teams: list[Team]) -> Select[uuid.UUID]:
    """Ids of the live, not closed cases of these teams."""
    return select(Case.id).where(
        Case.team.in_(teams), Case.status != CaseStatus.closed, Case.deleted_at.is_(None)
    )


def _unled(teams: list[Team]) -> Select[uuid.UUID]:
    # No current lead held by an active user: nobody, or someone since deactivated.
    led = exists().where(
        Assignment.case_id == Case.id,
        Assignment.until.is_(None),
        Assignment.responsibility == Responsibility.lead,
        Assignment.user_id == User.id,
        User.active.is_(True),
    )
    return open_cases(teams).where(~led)


def unassigned_cases(session: Session, user: User, team: Team | None) -> list[Case]:
    """The open cases without an active lead, oldest first (coordinators; at most 100)."""
    teams = coordinated_teams(user, team)
    return list(
        session.scalars(
            select(Case)
            .where(Case.id.in_(_unled(teams)))
            .order_by(Case.opened_on, Case.code)
            .limit(MY_CASES_LIMIT)
        )
    )


def caseload(session: Session, user: User, team: Team | None) -> Caseload:
    """Per active worker of the coordinator's teams (or `team`): open cases they hold a
    current assignment on, the live victims of those cases, overdue agenda items."""
    teams = coordinated_teams(user, team)
    workers = list(
        session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.role.in_(STAFF_ROLES),
                User.id.in_(select(UserTeam.user_id).where(UserTeam.team.in_(teams))),
            )
            .order_by(User.full_name, User.username)
        )
    )
    held = and_(Assignment.until.is_(None), Assignment.case_id.in_(open_cases(teams)))
    cases = dict(
        session.execute(
            select(Assignment.user_id, func.count(distinct(Assignment.case_id)))
            .where(held)
            .group_by(Assignment.user_id)
        ).all()
    )
    victims = dict(
        session.execute(
            select(Assignment.user_id, func.count(distinct(Victim.id)))
            .join(Victim, Victim.case_id == Assignment.case_id)
            .where(held, Victim.deleted_at.is_(None))
            .group_by(Assignment.user_id)
        ).all()
    )
    overdue = overdue_count_by_user(session, user, team=team)
    unassigned = session.scalar(select(func.count()).select_from(_unled(teams).subquery()))
    return Caseload.model_validate(
        {
            "items": [
                {
                    "user": w,
                    "open_cases": cases.get(w.id, 0),
                    "victims": victims.get(w.id, 0),
                    "overdue": overdue.get(w.id, 0),
                }
                for w in workers
            ],
            "unassigned_open_cases": unassigned or 0,
        }
    )


@dataclass
class MyVictim:
    id: uuid.UUID
    code: str
    next_due: AgendaItem | None


@dataclass
class MyCase:
    case: Case
    responsibilities: list[Responsibility]
    victims: list[MyVictim] = field(default_factory=list)


def my_cases(session: Session, user: User) -> list[MyCase]:
    """The caller's open cases (a current assignment of theirs), oldest due first: each
    with their responsibilities and its victims' next due item of the agenda."""
    ensure_case_reader(user)
    rows = session.execute(
        select(Case, Assignment.responsibility)
        .join(Assignment, Assignment.case_id == Case.id)
        .where(
            Case.id.in_(visible_cases(user).with_only_columns(Case.id)),
            Case.status != CaseStatus.closed,
            Assignment.user_id == user.id,
            Assignment.until.is_(None),
        )
        .order_by(Case.opened_on.desc(), Case.code)
    )
    mine: dict[uuid.UUID, MyCase] = {}
    for case, responsibility in rows:
        if case.id not in mine:
            if len(mine) == MY_CASES_LIMIT:
                continue
            mine[case.id] = MyCase(case, [])
        mine[case.id].responsibilities.append(responsibility)
    victims = list(
        session.execute(
            select(Victim.id, Victim.code, Victim.case_id)
            .where(Victim.case_id.in_(list(mine)), Victim.deleted_at.is_(None))
            .order_by(Victim.seq)
        )
    )
    due = next_due_by_victim(session, user, [v[0] for v in victims])
    for victim_id, code, case_id in victims:
        mine[case_id].victims.append(MyVictim(victim_id, code, due.get(victim_id)))
    order = list(Responsibility)
    for item in mine.values():
        item.responsibilities.sort(key=order.index)

    def first_due(item: MyCase) -> tuple[int, str]:
        dates = [v.next_due.due_on.isoformat() for v in item.victims if v.next_due]
        return (0, min(dates)) if dates else (1, "")

    return sorted(mine.values(), key=first_due)
