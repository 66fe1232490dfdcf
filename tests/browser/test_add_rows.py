"""In a real browser: "Añadir otra acción" adds a fourth action row to a follow-up, which
is saved with the others; "Añadir otra meta" does the same on a new plan. Screenshots at
1280×800 and 375×812."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.catalogs import Team
from app.followups.models import FollowUp
from tests.browser.conftest import shoot, sign_in
from tests.factories import make_case, make_victim

pytestmark = pytest.mark.browser


def test_a_fourth_action_is_added_and_saved(site, new_page):
    with site.session() as db:
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        db.commit()
        victim_id = victim.id
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}/seguimientos/nuevo")
    assert page.locator('select[name="actions.3.type"]').count() == 0
    page.get_by_role("button", name="Añadir otra acción").click()
    fourth = page.locator('select[name="actions.3.type"]')
    assert fourth.count() == 1
    assert page.get_by_role("group", name="Acción 4").is_visible()
    page.locator("#f-narrative").fill("Acompañamiento a la fiscalía.")
    page.select_option('select[name="actions.0.type"]', "orientation")
    fourth.select_option("legal_sponsorship")
    shoot(page, "followup-four-actions")
    page.get_by_role("button", name="Guardar seguimiento").click()
    page.wait_for_url(f"{site.url}/victimas/{victim_id}**")
    with site.session() as db:
        query = select(FollowUp).options(selectinload(FollowUp.actions))
        saved = db.scalars(query.where(FollowUp.victim_id == victim_id)).one()
        types = sorted(a.type.value for a in saved.actions)
    assert types == ["legal_sponsorship", "orientation"]


def test_plan_goals_grow_too(site, new_page):
    with site.session() as db:
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        db.commit()
        victim_id = victim.id
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}/planes/nuevo")
    page.get_by_role("button", name="Añadir otra meta").click()
    page.get_by_role("button", name="Añadir otra meta").click()
    assert page.locator('select[name="goals.4.dimension"]').count() == 1
    assert page.locator("#f-goals-4-description").input_value() == ""
    shoot(page, "plan-five-goals")
