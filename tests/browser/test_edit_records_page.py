"""In a real browser: a lawyer opens a referral from the victim's records page, changes
its outcome (Pendiente → Atendida) and saves; a second person saving over a newer version
sees the conflict message with the other person's change. Screenshots at 1280×800 and
375×812 of the form and of the conflict."""

from __future__ import annotations

import pytest

from app.catalogs import ReferralOutcome, Team
from app.referrals.models import Referral
from tests.browser.conftest import shoot, sign_in
from tests.factories import make_case, make_victim
from tests.work_factories import make_referral

pytestmark = pytest.mark.browser


def test_edit_a_referral_outcome_and_meet_a_conflict(site, new_page):
    with site.session() as db:
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        referral = make_referral(db, victim, outcome=ReferralOutcome.pending)
        db.commit()
        victim_id, referral_id = victim.id, referral.id
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}/registros")
    page.get_by_role("link", name="Editar derivación").first.click()
    page.wait_for_url(f"{site.url}/editar/derivacion/{referral_id}")
    shoot(page, "edit-referral")
    page.get_by_label("Resultado").select_option("accepted")
    page.get_by_role("button", name="Guardar cambios").click()
    page.wait_for_url(f"{site.url}/victimas/{victim_id}/registros**")
    assert page.get_by_text("Atendida").first.is_visible()

    # Open the form, then someone else saves first: this save meets a newer version.
    page.goto(f"{site.url}/editar/derivacion/{referral_id}")
    with site.session() as db:
        stored = db.get(Referral, referral_id)
        stored.outcome = ReferralOutcome.rejected
        stored.version += 1
        db.commit()
    page.get_by_label("Resultado").select_option("no_answer")
    page.get_by_role("button", name="Guardar cambios").click()
    alert = page.get_by_role("alert")
    assert "Conflicto de edición" in alert.inner_text()
    assert "Resultado: Rechazada" in alert.inner_text()
    assert page.get_by_label("Resultado").input_value() == "no_answer"
    shoot(page, "edit-referral-conflict")
