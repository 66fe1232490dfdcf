"""In a real browser: the victim's "Documentos" page — upload a PDF through the form, see
it listed, download it back byte for byte, and a refused type explained beside the file;
screenshots at 1280×800 and 375×812."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalogs import Team
from tests.browser.conftest import SCREENSHOTS, shoot, sign_in
from tests.documents import samples
from tests.factories import make_case, make_victim
from tests.work_factories import make_referral

pytestmark = pytest.mark.browser
PHONE_375 = {"width": 375, "height": 812}


def _shoot(page, name: str) -> None:
    shoot(page, name)
    page.set_viewport_size(PHONE_375)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_upload_list_and_download_a_document(site, new_page, tmp_path):
    with site.session() as db:
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        make_referral(db, victim)
        db.commit()
        victim_id = victim.id
    pdf = tmp_path / "resolución fiscal.pdf"
    pdf.write_bytes(samples.pdf())
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}")
    page.get_by_role("link", name="Documentos").click()
    page.wait_for_url(f"{site.url}/victimas/{victim_id}/documentos")
    assert page.get_by_text("Sin documentos guardados.").is_visible()

    page.get_by_label("Tipo de documento").select_option("fiscal_resolution")
    page.get_by_label("Título").fill("Disposición de formalización")
    page.get_by_label("Fecha del documento").fill("2024-03-20")
    page.get_by_label("Vinculado a").select_option(index=1)
    page.get_by_label("Archivo").set_input_files(str(pdf))
    page.get_by_role("button", name="Subir documento").click()
    page.wait_for_url(f"{site.url}/victimas/{victim_id}/documentos?aviso=creado")
    row = page.get_by_role("row", name="Disposición de formalización")
    assert row.get_by_role("cell", name="Disposición fiscal", exact=True).is_visible()
    assert row.get_by_role("cell", name="20 mar 2024", exact=True).is_visible()
    _shoot(page, "documents-list")

    with page.expect_download() as info:
        row.get_by_role("link", name="Descargar").click()
    download = info.value
    assert download.suggested_filename == "resolución fiscal.pdf"
    assert Path(download.path()).read_bytes() == samples.pdf()

    gif = tmp_path / "foto.gif"
    gif.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    page.get_by_label("Tipo de documento").select_option("other")
    page.get_by_label("Título").fill("Foto")
    page.get_by_label("Archivo").set_input_files(str(gif))
    page.get_by_role("button", name="Subir documento").click()
    assert page.get_by_text("Tipo de archivo no admitido").first.is_visible()
    assert page.get_by_label("Título").input_value() == "Foto"  # kept as typed
    _shoot(page, "documents-refused")
