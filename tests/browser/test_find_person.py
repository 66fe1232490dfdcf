"""In a real browser: "Buscar persona" (ranked results, why, another team's existence),
the new-victim form's duplicate check before saving, and the victim page's "Otras
atenciones de la misma persona" with link and unlink. Screenshots at 1280x800 and 375x812."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.catalogs import Team
from app.users.models import User
from app.victims.schemas import VictimCreate
from app.victims.service import create_victim
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import make_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning"),
]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])


def _register(db, username, team, given, family, age, intake_on):
    actor = db.scalars(select(User).where(User.username == username)).one()
    case = make_case(db, team=team, opened_on=intake_on)
    body = {
        "intake_on": intake_on.isoformat(),
        "sex": "female",
        "age_at_intake": age,
        "nationality": "PE",
        "typology": "forced_labour",
        "identity": {"given_names": given, "family_names": family},
    }
    return case, create_victim(db, case, VictimCreate.model_validate(body), actor=actor)


@pytest.fixture(scope="module")
def people(site):
    with site.session() as db:
        lima = _register(
            db, "psico.lima", Team.lima, "María Elena", "Quispe Mamani", 15, date(2019, 4, 2)
        )
        _register(db, "psico.lima", Team.lima, "Rosa", "Huamán Condori", 22, date(2021, 8, 9))
        cusco = _register(
            db, "abogada.cusco", Team.cusco, "Maria", "Quispe Mamani", 16, date(2020, 5, 10)
        )
        new_case = make_case(db, team=Team.lima, opened_on=date(2024, 3, 1))
        db.commit()
        return {
            "lima": (lima[0].code, lima[1].code, str(lima[1].id)),
            "cusco": (cusco[0].code, cusco[1].code),
            "new_case": str(new_case.id),
        }


def test_search_page_ranks_explains_and_says_another_team_has_her(site, new_page, people):
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.get_by_role("link", name="Buscar persona").first.click()
    page.get_by_label("Nombre o apellidos").fill("quispe maria")
    page.get_by_label("Sexo").select_option("female")
    page.get_by_label("Edad al ingreso").fill("15")
    page.get_by_role("button", name="Buscar").click()
    assert "quispe" not in page.url.lower()  # posted, never in the URL
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert people["lima"][1] in rows.first.inner_text()
    assert "nombre, sexo, edad" in rows.first.inner_text()
    cusco_case, cusco_victim = people["cusco"]
    elsewhere = page.locator("ul.elsewhere").inner_text()
    assert f"También existe en otro equipo: {cusco_case} (Cusco)" in elsewhere
    assert cusco_victim not in page.content()
    assert page.get_by_label("Nombre o apellidos").input_value() == "quispe maria"
    shoot(page, "find-person-search")


def test_duplicate_check_before_saving_then_continue_then_link(site, new_page, people):
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/casos/{people['new_case']}/victimas/nueva")
    page.get_by_label("Fecha de ingreso").fill("2024-06-03")
    page.get_by_label("Sexo").select_option("female")
    page.get_by_label("Edad al ingreso").fill("20")
    page.get_by_label("Tipificación").select_option("forced_labour")
    page.get_by_label("Nombres").fill("Mamani María")
    page.get_by_label("Apellidos").fill("Kispe")
    page.get_by_role("button", name="Registrar víctima").click()
    panel = page.locator("section.duplicates")
    panel.wait_for()
    text = panel.inner_text()
    assert "Todavía no se guardó nada" in text
    assert people["lima"][1] in text
    assert f"También existe en otro equipo: {people['cusco'][0]} (Cusco)" in text
    assert panel.get_by_role("link", name=people["lima"][1]).get_attribute("href") == (
        f"/victimas/{people['lima'][2]}"
    )
    assert page.get_by_label("Apellidos").input_value() == "Kispe"  # kept as typed
    # The server sent back exactly what was typed: no "recovered draft" notice on top.
    assert page.get_by_text("Se recuperó lo que había escrito").count() == 0
    shoot(page, "find-person-duplicate-step")
    page.get_by_role("button", name="Continuar y registrar").click()
    page.wait_for_url(f"{site.url}/victimas/*")
    assert "Registro creado." in page.content()
    new_url = page.url.split("?")[0]
    page.get_by_role("link", name="Vincular otra atención").click()
    page.get_by_label("Código de la otra atención").fill(people["lima"][1])
    page.get_by_label("Motivo (opcional)").fill("Misma persona, atendida en 2019")
    page.get_by_role("button", name="Vincular").click()
    page.wait_for_url(f"{new_url}?aviso=vinculado")
    section = page.locator("section[aria-labelledby=h-links]")
    assert people["lima"][1] in section.inner_text()
    assert "Misma persona, atendida en 2019" in section.inner_text()
    section.scroll_into_view_if_needed()
    shoot(page, "find-person-links")
    section.get_by_role("button", name="Desvincular").click()
    page.wait_for_url(f"{new_url}?aviso=desvinculado")
    assert "No hay otras atenciones vinculadas" in page.content()
