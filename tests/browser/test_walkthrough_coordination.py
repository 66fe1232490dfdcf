"""Issue 17 (acceptance 2, 3): a coordinator's and an admin's day in the web UI. The
coordinator reads the team's caseload, accepts a case another team moves to Lima and gives
it a lead, reads the agenda, the statistics tables and the consent overrides, and prints a
file; the admin lists users, creates one with a temporary password (changed at its first
sign-in), edits it, creates an API token, and meets the Spanish 403 page on the case list.
No response is 4xx/5xx except the 403 provoked on purpose; every page is shot and none
scrolls the whole page sideways on a 375-px phone."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.catalogs import Team
from app.db import today, utcnow
from app.transfers.schemas import TransferCreate
from app.transfers.service import propose
from app.users.models import User
from tests.browser.conftest import sign_in
from tests.browser.test_walkthrough_staff import Watch, look
from tests.factories import PASSWORD, make_case, make_victim
from tests.work_factories import make_plan, make_referral

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning"),
]
OVERRIDE = "Niña en riesgo inminente: se deriva sin esperar la firma."


@pytest.fixture(scope="module")
def day(site):
    """Lima's work (an override among it) and a Cusco case proposed to Lima."""
    with site.session() as db:
        psico = db.scalars(select(User).where(User.username == "psico.lima")).one()
        lawyer = db.scalars(select(User).where(User.username == "abogada.cusco")).one()
        lima_case = make_case(db, team=Team.lima, opened_on=date(2026, 10, 1))
        lima = make_victim(db, case=lima_case)
        make_plan(db, lima, assessed_on=date(2026, 10, 5), next_review_on=today() + timedelta(3))
        make_referral(
            db,
            lima,
            consent_override_reason=OVERRIDE,
            consent_overridden_at=utcnow(),
            consent_overridden_by_id=psico.id,
        )
        cusco = make_case(db, team=Team.cusco, opened_on=date(2026, 9, 1))
        moved = make_victim(db, case=cusco)
        db.flush()
        propose(
            db,
            cusco,
            TransferCreate(version=cusco.version, to_team="lima", reason="victim_moved"),
            actor=lawyer,
        )
        db.commit()
        return {
            "lima": lima.code,
            "lima_case": lima_case.code,
            "cusco": cusco.code,
            "moved": str(moved.id),
        }


def test_a_coordinators_day(site, new_page, day):
    page = new_page()
    watch = Watch(page)
    sign_in(page, site, "coord.lima")
    load = page.get_by_role("region", name="Carga de trabajo del equipo")
    assert "Psico" in load.inner_text()
    assert day["lima_case"] in page.content()
    look(page, "walk-coordinator-home")

    menu = page.get_by_role("navigation", name="Principal")
    menu.get_by_role("link", name="Traslados").click()
    incoming = page.get_by_role("region", name="Recibidos, por responder")
    assert day["cusco"] in incoming.inner_text()
    look(page, "walk-coordinator-transfers")
    incoming.get_by_role("button", name="Aceptar el traslado").click()
    page.wait_for_url(re.compile(r"/casos/[0-9a-f-]{36}\?aviso=traslado_aceptado$"))
    case_url = page.url.split("?")[0]
    panel = page.locator("section[aria-labelledby=h-assignments]")
    panel.get_by_label("Persona del equipo").select_option(label="Psico")
    panel.get_by_role("button", name="Asignar").click()
    page.wait_for_url(re.compile(rf"{case_url}(\?.*)?$"))
    assert "Responsable del caso: Psico" in page.locator(
        "section[aria-labelledby=h-assignments]"
    ).inner_text().replace("\n", " ")
    look(page, "walk-coordinator-case")

    page.goto(f"{site.url}/victimas/{day['moved']}/ficha")
    assert page.get_by_text("Impreso por Coord").is_visible()
    look(page, "walk-coordinator-file")

    menu = page.get_by_role("navigation", name="Principal")
    menu.get_by_role("link", name="Agenda").click()
    page.wait_for_url(re.compile(r"/agenda"))
    assert day["lima"] in page.locator("main").inner_text()  # the plan's review is due
    look(page, "walk-coordinator-agenda")

    menu = page.get_by_role("navigation", name="Principal")
    menu.get_by_role("link", name="Estadísticas").click()
    look(page, "walk-coordinator-stats")
    for path, name in (
        ("/estadisticas/tablas/10", "tabla-10"),
        ("/estadisticas/tablas/16", "tabla-16"),
        ("/estadisticas/calidad", "quality"),
        ("/estadisticas/resultados", "outcomes"),
    ):
        page.goto(site.url + path)
        assert page.locator("table").count() >= 1, path
        look(page, f"walk-coordinator-{name}")

    menu = page.get_by_role("navigation", name="Principal")
    menu.get_by_role("link", name="Excepciones de consentimiento").click()
    row = page.locator("tbody tr", has_text=day["lima"])
    assert OVERRIDE in row.inner_text()
    look(page, "walk-coordinator-overrides")
    watch.check()


def test_an_admins_day(site, new_page):
    page = new_page()
    watch = Watch(page)
    sign_in(page, site, "admin.calp")
    look(page, "walk-admin-home")
    page.goto(site.url + "/admin/usuarios")
    assert "psico.lima" in page.content()
    look(page, "walk-admin-users")

    page.goto(site.url + "/admin/usuarios/nuevo")
    page.get_by_label("Usuario").fill("trabajadora.nueva")
    page.get_by_label("Nombre completo").fill("Trabajadora Nueva")
    page.get_by_label("Rol").select_option("social_worker")
    page.locator("input[name=teams][value=lima]").check()
    page.get_by_label("Contraseña inicial").fill(PASSWORD)
    look(page, "walk-admin-user-new")
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(re.compile(r"/admin/usuarios\?aviso=creado$"))
    row = page.get_by_role("row", name=re.compile("trabajadora.nueva"))
    assert "Trabajadora Nueva" in row.inner_text()
    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/admin/usuarios/[0-9a-f-]{36}$"))
    page.get_by_label("Nombre completo").fill("Trabajadora Nueva Ríos")
    look(page, "walk-admin-user-edit")
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(re.compile(r"/admin/usuarios\?aviso=guardado$"))
    assert "Trabajadora Nueva Ríos" in page.content()

    page.goto(site.url + "/admin/tokens")
    page.get_by_label("Nombre (para qué se usa)").fill("Exportación nocturna")
    page.get_by_role("button", name="Crear token").click()
    assert page.locator("#new-token").inner_text().strip()
    assert page.get_by_role("cell", name="Exportación nocturna").is_visible()
    look(page, "walk-admin-tokens")

    with watch.expect(403):
        response = page.goto(site.url + "/casos")
    assert response is not None and response.status == 403
    assert "Acceso denegado" in page.content()
    look(page, "walk-admin-forbidden")
    watch.check()

    # The account just made: a temporary password, to change at the first sign-in.
    newcomer = new_page()
    newcomer.goto(site.url + "/")
    newcomer.get_by_label("Usuario", exact=True).fill("trabajadora.nueva")
    newcomer.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    newcomer.get_by_role("button", name="Entrar").click()
    newcomer.wait_for_url(site.url + "/cuenta/clave-inicial")
    look(newcomer, "walk-admin-newcomer-first-password")


def test_a_created_token_leaves_no_draft_behind(site, new_page):
    page = new_page()
    sign_in(page, site, "admin.calp")
    page.goto(site.url + "/admin/tokens")
    page.get_by_label("Nombre (para qué se usa)").fill("Copia de seguridad")
    page.wait_for_timeout(600)  # the draft is kept a moment after typing stops
    page.get_by_role("button", name="Crear token").click()
    page.locator("#new-token").wait_for()
    assert page.get_by_label("Nombre (para qué se usa)").input_value() == ""
