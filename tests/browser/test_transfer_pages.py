"""In a real browser: Cusco's lawyer proposes moving a case to Lima from the case page;
Lima's psychologist finds it on "Traslados" (code, teams and reason only: no name, no
note) and accepts it; the case page is then Lima's, and Cusco's lawyer gets "not found".
Screenshots at 1280x800 and 375x812."""

from __future__ import annotations

from datetime import date

import pytest

from app.catalogs import Team
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import make_case, make_victim

pytestmark = [pytest.mark.browser]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
NAME, NOTE = "Zenobia Quispehuamán", "Vive ahora con su tía Herminia en Lima."


def shoot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)  # type: ignore[attr-defined]
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size(SIZES["desktop"])  # type: ignore[attr-defined]


def _seed(site: object) -> tuple[str, str]:
    with site.session() as db:  # type: ignore[attr-defined]
        case = make_case(db, team=Team.cusco, opened_on=date(2026, 2, 3))
        given, family = NAME.split(" ")
        make_victim(db, case=case, identity={"given_names": given, "family_names": family})
        db.commit()
        return str(case.id), case.code


def test_propose_and_accept_a_transfer(site, new_page):
    case_id, code = _seed(site)
    failed: list[str] = []

    cusco = new_page()
    cusco.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    sign_in(cusco, site, "abogada.cusco")
    cusco.goto(f"{site.url}/casos/{case_id}")
    panel = cusco.get_by_role("region", name="Traslado a otro equipo")
    panel.get_by_role("combobox", name="Equipo que recibe").select_option("lima")
    panel.get_by_role("combobox", name="Motivo").select_option("victim_moved")
    panel.get_by_label("Nota para el equipo que recibe").fill(NOTE)
    panel.get_by_role("button", name="Proponer traslado").click()
    cusco.wait_for_url(f"**/casos/{case_id}?aviso=traslado_propuesto")
    assert "Traslado propuesto" in cusco.get_by_role("status").inner_text()
    assert "Traslado pendiente a Lima" in panel.inner_text()
    shoot(cusco, "transfer-proposed")

    lima = new_page()
    lima.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    sign_in(lima, site, "psico.lima")
    lima.get_by_role("navigation", name="Principal").get_by_role("link", name="Traslados").click()
    incoming = lima.get_by_role("region", name="Recibidos, por responder")
    assert code in incoming.inner_text() and "La víctima se trasladó" in incoming.inner_text()
    body = lima.content()
    assert NAME.split(" ")[0] not in body and "Herminia" not in body
    shoot(lima, "transfer-incoming")
    incoming.get_by_role("button", name="Aceptar el traslado").click()
    lima.wait_for_url(f"**/casos/{case_id}?aviso=traslado_aceptado")
    facts = lima.locator("dl.dl").first.inner_text()
    assert "Lima" in facts and "Abierto por\nCusco" in facts
    timeline = lima.get_by_role("region", name="Historia del caso").inner_text()
    assert "Traslado aceptado: Cusco → Lima" in timeline and NOTE in timeline
    shoot(lima, "transfer-accepted")
    assert not failed, failed

    gone = cusco.goto(f"{site.url}/casos/{case_id}")
    assert gone is not None and gone.status == 404


def test_closing_the_case_withdraws_its_pending_transfer(site, new_page):
    case_id, code = _seed(site)
    cusco = new_page()
    sign_in(cusco, site, "abogada.cusco")
    cusco.goto(f"{site.url}/casos/{case_id}")
    panel = cusco.get_by_role("region", name="Traslado a otro equipo")
    panel.get_by_role("combobox", name="Equipo que recibe").select_option("lima")
    panel.get_by_role("combobox", name="Motivo").select_option("victim_moved")
    panel.get_by_role("button", name="Proponer traslado").click()
    cusco.wait_for_url(f"**/casos/{case_id}?aviso=traslado_propuesto")

    cusco.goto(f"{site.url}/casos/{case_id}/cerrar")
    assert cusco.get_by_label("Fecha de cierre").input_value()  # today, as the form offers
    warning = cusco.get_by_role("status").inner_text()
    assert "traslado pendiente a Lima" in warning and "ya no podrá aceptarlo" in warning
    shoot(cusco, "case-close-pending-transfer")
    cusco.get_by_label("Motivo de cierre").select_option("relocated")
    cusco.get_by_role("button", name="Cerrar caso").click()
    cusco.wait_for_url(f"**/casos/{case_id}?aviso=cerrado")
    timeline = cusco.get_by_role("region", name="Historia del caso").inner_text()
    assert "Traslado retirado: Cusco → Lima" in timeline
    assert "Retirado automáticamente al cerrar el caso." in timeline
    shoot(cusco, "transfer-withdrawn-on-close")

    lima = new_page()
    sign_in(lima, site, "psico.lima")
    lima.goto(f"{site.url}/traslados")
    assert "Aceptar el traslado" not in lima.content()
    shoot(lima, "transfer-withdrawn-on-close-receiving")
