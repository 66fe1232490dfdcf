"""In a real browser: "Imprimir ficha" from a victim's page opens the print-ready file,
its "Descargar PDF" downloads the PDF; screenshots at 1280×800 and 375×812 and of the
print layout (media print)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalogs import FollowUpKind, Team
from tests.browser.conftest import SCREENSHOTS, shoot, sign_in
from tests.factories import make_case, make_victim
from tests.work_factories import make_follow_up, make_plan, make_referral

pytestmark = pytest.mark.browser


def test_print_the_file_of_a_victim(site, new_page):
    with site.session() as db:
        case = make_case(db, team=Team.lima)
        victim = make_victim(
            db, case=case, identity={"given_names": "Rosa", "family_names": "Quispe"}
        )
        make_plan(db, victim)
        make_referral(db, victim)
        make_follow_up(db, victim, kind=FollowUpKind.social, narrative="Visita domiciliaria.")
        db.commit()
        victim_id, code = victim.id, victim.code
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}")
    page.get_by_role("link", name="Imprimir ficha").click()
    page.wait_for_url(f"{site.url}/victimas/{victim_id}/ficha")
    assert page.get_by_role("heading", name=f"Ficha de la víctima {code}").is_visible()
    assert page.get_by_text("Visita domiciliaria.").is_visible()
    assert page.get_by_text("Impreso por Psico").is_visible()
    shoot(page, "victim-file")
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / "victim-file-print.png"), full_page=True)
    assert not page.get_by_role("link", name="Descargar PDF").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar PDF").click()
    download = info.value
    assert download.suggested_filename == f"ficha-{code}.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
