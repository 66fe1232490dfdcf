"""In a real browser: a plan opened from the victim's page shows its needs, goals and
reviews; "Editar plan" changes its status and a goal's. Screenshots at 1280×800 and 375×812
of the plan page and its edit form."""

from __future__ import annotations

from datetime import date

import pytest

from app.catalogs import GoalStatus, Team
from app.plans.models import PlanReview, PlanReviewGoal
from tests.browser.conftest import shoot, sign_in
from tests.factories import make_case, make_victim
from tests.work_factories import make_plan

pytestmark = pytest.mark.browser


def test_read_a_plan_back_and_edit_it(site, new_page):
    with site.session() as db:
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        plan = make_plan(db, victim, assessed_on=date(2024, 4, 1))
        db.add(
            PlanReview(
                plan_id=plan.id,
                reviewed_on=date(2024, 6, 1),
                summary="Avanza el trámite.",
                goal_updates=[
                    PlanReviewGoal(
                        goal_id=plan.goals[0].id, status=GoalStatus.in_progress, note="Cita el 12."
                    )
                ],
            )
        )
        db.commit()
        victim_id, plan_id = victim.id, plan.id
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}")
    page.get_by_role("link", name="Evaluación del 1 abr 2024").click()
    page.wait_for_url(f"{site.url}/planes/{plan_id}")
    assert page.get_by_text("Cita el 12.").is_visible()
    assert page.get_by_role("heading", name="Revisión del 1 jun 2024").is_visible()
    shoot(page, "plan-detail")
    page.get_by_role("link", name="Editar plan").click()
    page.get_by_label("Estado del plan").select_option("in_progress")
    page.locator('select[name="goals.0.status"]').select_option("achieved")
    shoot(page, "plan-edit")
    page.get_by_role("button", name="Guardar cambios").click()
    page.wait_for_url(f"{site.url}/planes/{plan_id}**")
    assert page.get_by_text("En vías de implementación").first.is_visible()
    assert page.get_by_role("cell", name="Logrado").first.is_visible()
