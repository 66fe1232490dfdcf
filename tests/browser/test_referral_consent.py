"""In a real browser (issue 18.5): a new outgoing referral without a live data-sharing
consent is refused with the reason beside the consent box and everything typed kept; the
override (box + reason) saves it; the coordinator opens the overrides page from the menu.
Screenshots at 1280x800 and 375x812."""

from __future__ import annotations

import pytest

from app.catalogs import Team
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import make_case, make_victim

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning"),
]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
REASON = "Adolescente en riesgo inminente: se deriva a la UPE sin esperar."


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])


def test_refusal_override_and_the_coordinators_list(site, new_page):
    with site.session() as db:
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        code, victim_id = victim.code, victim.id
        db.commit()
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}/derivaciones/nuevo")
    assert page.get_by_text("Sin consentimiento vigente hoy.").is_visible()
    page.locator("#f-institution").select_option("upe")
    page.locator("#f-reason").fill("Protección especial.")
    page.get_by_role("button", name="Guardar derivación").click()

    error = page.locator("#err-consent_id")
    assert error.is_visible()
    assert "no tiene un consentimiento vigente para compartir datos" in error.inner_text()
    assert page.locator("#f-reason").input_value() == "Protección especial."
    assert page.locator("#f-institution").input_value() == "upe"
    _shoot(page, "referral-consent-refused")

    page.get_by_label("Derivar sin consentimiento por una emergencia").check()
    page.locator("#f-consent_override-reason").fill(REASON)
    _shoot(page, "referral-consent-override")
    page.get_by_role("button", name="Guardar derivación").click()
    page.wait_for_url(f"{site.url}/victimas/{victim_id}?aviso=creado")

    coordinator = new_page()
    sign_in(coordinator, site, "coord.lima")
    coordinator.get_by_role("link", name="Excepciones de consentimiento").click()
    row = coordinator.locator("tbody tr").first
    assert code in row.inner_text() and REASON in row.inner_text()
    assert "Psico" in row.inner_text() and "Unidad de Protección Especial" in row.inner_text()
    _shoot(coordinator, "consent-overrides")


def test_outcomes_page_shows_implemented_actions_and_every_status(site, new_page):
    from datetime import date

    from app.catalogs import ActionStatus, ActionType
    from app.followups.models import FollowUpAction
    from tests.work_factories import make_follow_up

    with site.session() as db:
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        make_follow_up(
            db,
            victim,
            occurred_on=date(2024, 5, 2),
            actions=[
                FollowUpAction(type=ActionType.orientation, status=ActionStatus.done),
                FollowUpAction(type=ActionType.referral, status=ActionStatus.planned),
                FollowUpAction(type=ActionType.home_visit, status=ActionStatus.cancelled),
            ],
        )
        db.commit()
    page = new_page()
    sign_in(page, site, "coord.lima")
    page.goto(f"{site.url}/estadisticas/resultados?from=2024&to=2024")
    implemented = page.locator("caption", has_text="Acciones implementadas por tipo de acción")
    assert implemented.count() == 1
    every = page.locator(
        "table", has=page.locator("caption", has_text="Todas las acciones registradas por estado")
    )
    assert every.count() == 1
    text = every.inner_text()
    assert "Realizada" in text and "Programada" in text and "Cancelada" in text
    implemented.scroll_into_view_if_needed()
    _shoot(page, "stats-outcomes-actions")


def test_moving_a_referral_without_consent_is_explained_on_its_edit_page(site, new_page):
    from datetime import date

    from tests.work_factories import make_referral

    with site.session() as db:
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        referral_id = make_referral(db, victim, referred_on=date(2024, 4, 1)).id
        db.commit()
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/editar/derivacion/{referral_id}")
    page.locator("#f-referred_on").fill("2024-04-20")
    page.get_by_role("button", name="Guardar").click()
    alert = page.get_by_role("alert")
    assert "no tiene un consentimiento vigente para compartir datos" in alert.inner_text()
    assert page.locator("#f-referred_on").input_value() == "2024-04-20"
    _shoot(page, "referral-edit-consent-refused")
