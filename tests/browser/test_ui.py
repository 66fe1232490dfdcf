"""The web UI in a real browser: case work end to end, team scope, Tabla 13 download,
form errors that keep what was typed, CSRF refusal; screenshots of the main pages."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.catalogs import Team, Typology
from tests.browser.conftest import shoot, sign_in
from tests.factories import make_case, make_victim

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning"),
]


def test_psychologist_records_a_case_and_sees_one_timeline(site, new_page):
    page = new_page()
    page.goto(site.url + "/")
    shoot(page, "login")
    sign_in(page, site, "psico.lima")
    page.get_by_role("link", name="Registrar caso").first.click()
    page.get_by_label("Fecha de apertura").fill("2024-06-03")
    page.get_by_label("Derivado por (institución)").select_option("fiscalia")
    page.get_by_label("Resumen del caso").fill("Derivada tras un operativo")
    page.get_by_role("button", name="Registrar caso").click()
    page.wait_for_url(re.compile(r"/casos/[0-9a-f-]{36}"))
    case_url = page.url
    code = page.locator("h1").inner_text().split()[1]
    assert code.startswith("LIM-2024-")

    page.get_by_role("link", name="Registrar víctima").click()
    page.get_by_label("Fecha de ingreso").fill("2024-06-03")
    page.get_by_label("Sexo").select_option("female")
    page.get_by_label("Edad al ingreso").fill("16")
    page.get_by_label("Tipificación").select_option("trafficking")
    page.get_by_label("Finalidad (solo trata de personas)").select_option("labour")
    page.locator("#f-route-0-country").select_option("PE")
    page.locator("#f-route-0-region").select_option("08")
    page.locator("#f-route-3-country").select_option("PE")
    page.locator("#f-route-3-region").select_option("17")
    page.get_by_label("Nombres").fill("Flor")
    shoot(page, "victim-form")
    page.get_by_role("button", name="Registrar víctima").click()
    page.wait_for_url(re.compile(r"/victimas/[0-9a-f-]{36}"))
    assert "Madre de Dios" in page.content() and "Flor" in page.content()

    page.get_by_role("link", name="Registrar seguimiento").click()
    page.get_by_label("Fecha").first.fill("2024-06-05")
    page.get_by_label("Narrativa").fill("Sesión inicial de contención emocional")
    page.locator("#f-actions-0-type").select_option("psychological_care")
    page.get_by_role("button", name="Guardar seguimiento").click()
    page.wait_for_url(re.compile(r"/victimas/"))

    page.get_by_role("link", name="Nuevo plan de trabajo").click()
    page.get_by_label("Fecha de la evaluación").fill("2024-06-10")
    page.locator("#f-goals-0-dimension").select_option("identity")
    page.locator("#f-goals-0-description").fill("Obtener el DNI")
    page.get_by_role("button", name="Guardar plan").click()
    page.wait_for_url(re.compile(r"/victimas/"))
    shoot(page, "victim")

    page.goto(case_url)
    timeline = page.locator("ol.timeline").inner_text()
    assert "Sesión inicial de contención emocional" in timeline
    assert "Obtener el DNI" in timeline and "Estado: Abierto" in timeline
    assert (
        timeline.index("Estado: Abierto")
        < timeline.index("Sesión inicial")
        < timeline.index("Obtener el DNI")
    )
    shoot(page, "case")
    page.goto(site.url + "/")
    assert code in page.content()
    shoot(page, "home")
    page.goto(site.url + "/casos")
    shoot(page, "case-list")

    lawyer = new_page()
    sign_in(lawyer, site, "abogada.cusco")
    response = lawyer.goto(case_url)
    assert response.status == 404
    assert "No encontrado" in lawyer.content() and code not in lawyer.content()
    assert "Sesión inicial" not in lawyer.content()


def test_coordinator_downloads_tabla_13_matching_the_page(site, new_page):
    with site.session() as db:
        case = make_case(db, team=Team.lima, opened_on=date(2023, 5, 2))
        for typology in (Typology.forced_labour, Typology.forced_labour, Typology.missing_person):
            make_victim(db, case=case, typology=typology)
        make_victim(db, case=make_case(db, team=Team.puno))
        db.commit()
    page = new_page()
    sign_in(page, site, "coord.lima")
    page.goto(site.url + "/estadisticas/tablas/13")
    on_page = {}
    for row in page.locator("table tbody tr").all():
        label = row.locator("th").inner_text().strip()
        on_page[label] = int(row.locator("td").first.inner_text())
    assert on_page["Trabajo forzoso"] >= 2 and sum(on_page.values()) >= 4
    shoot(page, "tabla-13")
    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar XLSX").click()
    data = Path(info.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    in_file = {
        str(r[0]).strip(): r[1] for r in sheet.iter_rows(values_only=True) if r and r[0] in on_page
    }
    assert in_file == on_page
    page.goto(site.url + "/estadisticas/informe")
    shoot(page, "report")


def test_bad_input_shows_the_error_and_keeps_what_was_typed(site, new_page):
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(site.url + "/casos/nuevo")
    page.get_by_label("Fecha de apertura").fill("2999-12-31")
    page.get_by_label("Resumen del caso").fill("Lo que escribí")
    page.get_by_role("button", name="Registrar caso").click()
    error = page.locator("#err-opened_on")
    assert "posterior a hoy" in error.inner_text()
    assert page.get_by_label("Fecha de apertura").input_value() == "2999-12-31"
    assert page.get_by_label("Resumen del caso").input_value() == "Lo que escribí"
    assert page.get_by_label("Fecha de apertura").get_attribute("aria-invalid") == "true"
    shoot(page, "form-error")


def test_post_without_csrf_token_is_refused(site, new_page):
    page = new_page()
    sign_in(page, site, "psico.lima")
    response = page.context.request.post(
        site.url + "/casos/nuevo", form={"team": "lima", "opened_on": "2024-01-02"}, max_redirects=0
    )
    assert response.status == 403
    assert "Acceso denegado" in response.text()
    page.goto(site.url + "/casos")
    assert "2024-01-02" not in page.content()


def test_admin_pages(site, new_page):
    page = new_page()
    sign_in(page, site, "admin.calp")
    page.goto(site.url + "/admin/usuarios")
    assert "psico.lima" in page.content()
    shoot(page, "admin-users")
