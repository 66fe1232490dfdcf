"""A plan read back on its own page (needs, goals, every review with each goal's note) and
edited there (status, needs, goals) under the version check."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import GoalStatus, PlanStatus, Role, Team
from app.plans.models import Plan, PlanReview, PlanReviewGoal
from app.plans.service import _full
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import post_form
from tests.work_factories import make_plan


@pytest.fixture
def plan(db):
    victim = make_victim(db, case=make_case(db, team=Team.lima))
    plan = make_plan(db, victim, assessed_on=date(2024, 4, 1))
    goal = plan.goals[0]
    review = PlanReview(
        plan_id=plan.id,
        reviewed_on=date(2024, 6, 1),
        summary="Avanza el trámite en RENIEC.",
        goal_updates=[
            PlanReviewGoal(goal_id=goal.id, status=GoalStatus.in_progress, note="Cita el 12.")
        ],
    )
    db.add(review)
    db.flush()
    return plan


def test_the_plan_page_shows_needs_goals_and_each_review(db, login_as, plan):
    user = make_user(db, role=Role.social_worker, teams=[Team.lima])
    client = login_as(user)
    page = client.get(f"/planes/{plan.id}")
    assert page.status_code == 200
    for text in ("Sin DNI.", "Tramitar DNI.", "Avanza el trámite en RENIEC.", "Cita el 12."):
        assert text in page.text, text
    assert "Revisión del 1 jun 2024" in page.text
    events = db.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.user_id == user.id, AuditEvent.action == AuditAction.read_narrative
        )
    ).all()
    assert "plan_page" in events


def test_status_needs_and_goals_are_edited(db, login_as, plan):
    client = login_as(make_user(db, role=Role.psychologist, teams=[Team.lima]))
    goal = plan.goals[0]
    path = f"/planes/{plan.id}/editar"
    resp = post_form(
        client,
        path,
        path,
        {
            "version": str(plan.version),
            "assessed_on": "2024-04-01",
            "status": "in_progress",
            "next_review_on": "2027-01-15",
            "needs.0.dimension": "health",
            "needs.0.priority": "high",
            "needs.0.description": "Control prenatal.",
            "goals.0.id": str(goal.id),
            "goals.0.dimension": "identity",
            "goals.0.description": "Tramitar DNI.",
            "goals.0.status": "achieved",
            "goals.1.dimension": "health",
            "goals.1.description": "Afiliación al SIS.",
            "goals.1.status": "pending",
        },
    )
    assert resp.status_code == 303, resp.text
    db.expire_all()
    stored = db.scalars(select(Plan).where(Plan.id == plan.id).options(*_full())).one()
    assert stored.status == PlanStatus.in_progress and stored.next_review_on == date(2027, 1, 15)
    assert [n.description for n in stored.needs] == ["Control prenatal."]
    assert sorted((g.description, g.status.value) for g in stored.goals) == [
        ("Afiliación al SIS.", "pending"),
        ("Tramitar DNI.", "achieved"),
    ]


def test_a_stale_edit_keeps_the_typing_and_names_the_other_change(db, login_as, plan):
    client = login_as(make_user(db, role=Role.psychologist, teams=[Team.lima]))
    seen = plan.version
    plan.status = PlanStatus.abandoned
    plan.version += 1
    db.flush()
    path = f"/planes/{plan.id}/editar"
    resp = post_form(
        client,
        path,
        path,
        {"version": str(seen), "assessed_on": "2024-04-01", "status": "in_progress"},
    )
    assert resp.status_code == 409
    assert "Conflicto de edición" in resp.text and "Estado del plan: " in resp.text
    assert f'name="version" value="{seen + 1}"' in resp.text


def test_coordinators_read_but_do_not_edit(db, login_as, plan):
    client = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    assert client.get(f"/planes/{plan.id}").status_code == 200
    assert client.get(f"/planes/{plan.id}/editar").status_code == 403
    other = login_as(make_user(db, role=Role.lawyer, teams=[Team.cusco]))
    assert other.get(f"/planes/{plan.id}").status_code == 404
