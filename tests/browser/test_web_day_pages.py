"""Issue 17 (9a, 9b, 9c) in Chromium: the two-factor QR code, the forced change of an
initial password, and a header that leaves a phone its screen (≤ 15 % of 812 px)."""

from __future__ import annotations

import re

import pytest

from app.catalogs import Role, Team
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def shoot(page, name: str, *, full: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size_name}.png"), full_page=full)
    page.set_viewport_size(SIZES["desktop"])


@pytest.mark.parametrize("username", ["psico.lima", "coord.lima", "admin.calp"])
def test_the_header_takes_at_most_15_percent_of_a_phone_screen(site, new_page, username):
    page = new_page()
    sign_in(page, site, username)
    page.set_viewport_size(SIZES["phone"])
    page.goto(site.url + "/")
    height = page.eval_on_selector("header.top", "h => h.getBoundingClientRect().height")
    assert height <= 0.15 * 812, f"header {height:.0f} px tall"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width} px)"
    # Every menu entry is still there and can be reached (the menu row scrolls sideways).
    links = page.locator("header.top nav a")
    assert links.count() >= 3
    last = links.nth(links.count() - 1)
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    assert page.get_by_role("button", name=re.compile("Salir")).is_visible()
    if username == "psico.lima":
        page.set_viewport_size(SIZES["desktop"])
        shoot(page, "web-day-header", full=False)


def test_two_factor_enrolment_shows_a_qr_code(site, new_page):
    page = new_page()
    sign_in(page, site, "coord.lima")
    page.goto(site.url + "/cuenta/2fa")
    page.get_by_role("button", name="Generar clave").click()
    qr = page.locator("figure.qr svg")
    qr.wait_for()
    box = qr.bounding_box()
    assert box and box["width"] >= 150 and abs(box["width"] - box["height"]) < 2
    assert page.get_by_label("Código de 6 dígitos").is_visible()
    shoot(page, "web-day-2fa-qr")


def test_an_account_an_admin_made_changes_its_password_first(site, new_page):
    with site.session() as db:
        make_user(
            db,
            role=Role.social_worker,
            teams=[Team.lima],
            username="nueva.social",
            full_name="Nueva",
            must_change_password=True,
        )
        db.commit()
    page = new_page()
    page.goto(site.url + "/")
    page.get_by_label("Usuario", exact=True).fill("nueva.social")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(site.url + "/cuenta/clave-inicial")
    assert page.get_by_role("heading", name="Cambie su contraseña temporal").is_visible()
    shoot(page, "web-day-first-password")
    page.goto(site.url + "/casos")
    assert page.url == site.url + "/cuenta/clave-inicial"  # nothing else until it is changed
    page.locator("#f-current").fill(PASSWORD)
    page.locator("#f-new").fill("una-clave-muy-propia-26")
    page.locator("#f-repeat").fill("una-clave-muy-propia-26")
    page.get_by_role("button", name="Guardar mi contraseña").click()
    page.wait_for_url(site.url + "/?aviso=clave")
    assert page.get_by_text("Contraseña cambiada.").is_visible()
    page.goto(site.url + "/casos")
    assert page.url == site.url + "/casos"
