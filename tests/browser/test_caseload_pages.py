"""In a real browser: Lima's psychologist puts a colleague in charge of a case from its page
("Equipo a cargo"), then takes its psychological attention; her home page lists it first
under "Mis casos" with the victim's next due item; the coordinator sees the caseload per
worker and the cases without a lead, and reassigns them. Records and the case's history
name who wrote each entry. Screenshots at 1280x800 and 375x812."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.catalogs import Role, Team
from app.db import today
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import make_case, make_user, make_victim

pytestmark = [pytest.mark.browser]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def shoot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)  # type: ignore[attr-defined]
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size(SIZES["desktop"])  # type: ignore[attr-defined]


def _seed(site: object) -> dict[str, str]:
    with site.session() as db:  # type: ignore[attr-defined]
        colleague = make_user(
            db, role=Role.social_worker, teams=[Team.lima], full_name="Teresa Condori"
        )
        make_user(db, role=Role.lawyer, teams=[Team.lima], full_name="Julio Apaza")
        case = make_case(db, team=Team.lima, opened_on=date(2026, 3, 2))
        victim = make_victim(db, case=case)
        victim.reflection_until = today() + timedelta(days=5)  # due in the agenda's window
        orphan = make_case(db, team=Team.lima, opened_on=date(2026, 1, 15))
        db.commit()
        return {
            "case_id": str(case.id),
            "code": case.code,
            "victim": victim.code,
            "orphan": orphan.code,
            "colleague": str(colleague.id),
        }


def test_assign_see_my_cases_and_the_team_caseload(site, new_page):
    seed = _seed(site)
    failed: list[str] = []

    psi = new_page()
    psi.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    sign_in(psi, site, "psico.lima")
    mine = psi.get_by_role("region", name="Mis casos", exact=True)
    assert "No tiene casos asignados" in mine.inner_text()
    psi.goto(f"{site.url}/casos/{seed['case_id']}")
    panel = psi.get_by_role("region", name="Equipo a cargo")
    assert "Sin responsable" in panel.inner_text()
    panel.get_by_role("combobox", name="Persona del equipo").select_option(seed["colleague"])
    panel.get_by_role("combobox", name="Responsabilidad").select_option("lead")
    panel.get_by_role("button", name="Asignar").click()
    psi.wait_for_url(f"**/casos/{seed['case_id']}?aviso=asignado")
    assert "Responsable del caso: Teresa Condori" in panel.inner_text()
    panel.get_by_role("combobox", name="Persona del equipo").select_option(label="Psico")
    panel.get_by_role("combobox", name="Responsabilidad").select_option("psychological")
    panel.get_by_role("button", name="Asignar").click()
    psi.wait_for_url(f"**/casos/{seed['case_id']}?aviso=asignado")
    assert "Psicológica: Psico" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    shoot(psi, "caseload-case-panel")

    psi.goto(site.url + "/")
    text = mine.inner_text()
    assert seed["code"] in text and "Psicológica" in text
    assert seed["victim"] in text and "Fin del periodo de reflexión" in text
    assert seed["orphan"] not in text
    shoot(psi, "caseload-my-cases")

    coord = new_page()
    coord.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    sign_in(coord, site, "coord.lima")
    load = coord.get_by_role("region", name="Carga de trabajo del equipo")
    text = load.inner_text()
    assert "Teresa Condori" in text and "Julio Apaza" in text
    assert seed["orphan"] in text and "Sin responsable" in text
    shoot(coord, "caseload-coordinator-home")
    load.get_by_role("link", name="Reasignar casos de una persona").click()
    coord.get_by_role("combobox", name="De (quien deja los casos)").select_option(
        label="Teresa Condori"
    )
    coord.get_by_role("combobox", name="A (quien los recibe)").select_option(label="Julio Apaza")
    coord.get_by_role("button", name="Reasignar").click()
    result = coord.get_by_role("region", name="Resultado")
    assert "1 asignación reasignada" in result.inner_text()
    shoot(coord, "caseload-reassigned")
    coord.goto(f"{site.url}/casos/{seed['case_id']}")
    panel = coord.get_by_role("region", name="Equipo a cargo")
    assert "Responsable del caso: Julio Apaza" in panel.inner_text()
    assert "Asignaciones anteriores (1)" in panel.inner_text()
    assert not failed, failed


def test_records_show_who_wrote_them(site, new_page):
    from app.catalogs import ConsentPurpose, FollowUpKind, Institution, ProtectionMeasureKind
    from app.consents.models import Consent
    from app.followups.models import FollowUp
    from app.protection.models import ProtectionMeasure

    with site.session() as db:  # type: ignore[attr-defined]
        author = make_user(db, role=Role.lawyer, teams=[Team.lima], full_name="Marisol Ccori")
        case = make_case(db, team=Team.lima, opened_on=date(2026, 4, 6), created_by_id=author.id)
        victim = make_victim(db, case=case, created_by_id=author.id)
        on = date(2026, 4, 7)
        db.add_all(
            [
                FollowUp(
                    victim_id=victim.id,
                    occurred_on=on,
                    kind=FollowUpKind.legal,
                    author_id=author.id,
                ),
                ProtectionMeasure(
                    victim_id=victim.id,
                    kind=ProtectionMeasureKind.identity_reserve,
                    institution=Institution.fiscalia,
                    granted_on=on,
                    created_by_id=author.id,
                ),
                Consent(
                    victim_id=victim.id,
                    purpose=ConsentPurpose.attention,
                    given_on=on,
                    created_by_id=author.id,
                ),
            ]
        )
        db.commit()
        victim_id, case_id = str(victim.id), str(case.id)
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}/registros")
    for heading in ("Medidas de protección", "Consentimientos", "Seguimientos"):
        section = page.get_by_role("region", name=heading)
        assert "Marisol Ccori" in section.inner_text(), heading
    shoot(page, "authorship-records")
    page.goto(f"{site.url}/casos/{case_id}")
    assert (
        "Registrado por Marisol Ccori"
        in page.get_by_role("region", name="Historia del caso").inner_text()
    )
    shoot(page, "authorship-case")
