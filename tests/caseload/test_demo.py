"""The demo data has realistic assignments: every open case has a current lead, active staff
of the case's team, and a worker signing in sees "Mis casos" at once."""

from __future__ import annotations

from sqlalchemy import select

from app.caseload import counts
from app.caseload.models import Assignment
from app.cases.models import Case
from app.catalogs import STAFF_ROLES, CaseStatus, Responsibility
from app.demo.loader import load_demo
from app.users.models import User


def test_every_open_case_has_a_lead_of_its_team(db):
    load_demo(db, fast_hash=True)
    open_cases = db.scalars(select(Case).where(Case.status != CaseStatus.closed)).all()
    assert open_cases
    current = db.execute(
        select(Assignment, User)
        .join(User, User.id == Assignment.user_id)
        .where(Assignment.until.is_(None))
    ).all()
    leads: dict = {}
    responsibilities = set()
    for assignment, user in current:
        responsibilities.add(assignment.responsibility)
        assert user.active and user.role in STAFF_ROLES
        if assignment.responsibility == Responsibility.lead:
            assert assignment.case_id not in leads  # one lead each
            leads[assignment.case_id] = user
    for case in open_cases:
        assert case.id in leads, case.code
        assert case.team in leads[case.id].teams, case.code
    assert Responsibility.psychological in responsibilities  # not only leads
    psychologist = db.scalar(select(User).where(User.username == "demo_psi_lima"))
    mine = counts.my_cases(db, psychologist)
    assert mine and any(v.next_due for m in mine for v in m.victims)
    coordinator = db.scalar(select(User).where(User.username == "demo_coord"))
    load = counts.caseload(db, coordinator, None)
    assert load.unassigned_open_cases == 0
    assert all(row.open_cases > 0 for row in load.items)
