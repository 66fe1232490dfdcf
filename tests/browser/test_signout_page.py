"""In a real browser: "Cerrar todas mis sesiones" on the account page ends this session and
the same person's session in another browser; screenshots at 1280×800 and 375×812."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def test_account_page_button_ends_every_session(site, new_page):
    here, elsewhere = new_page(), new_page()
    for page in (here, elsewhere):
        sign_in(page, site, "psico.lima")
    here.goto(site.url + "/cuenta")
    button = here.get_by_role("button", name="Cerrar todas mis sesiones")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in SIZES.items():
        here.set_viewport_size(size)
        button.scroll_into_view_if_needed()
        assert button.is_visible()
        here.screenshot(path=str(SCREENSHOTS / f"account-sessions-{name}.png"))
    here.set_viewport_size(SIZES["desktop"])
    button.click()
    here.wait_for_url(site.url + "/login?aviso=sesiones")
    assert here.get_by_text("Se cerraron todas sus sesiones.").is_visible()
    here.goto(site.url + "/casos")
    assert here.url.startswith(site.url + "/login")
    elsewhere.goto(site.url + "/casos")
    assert elsewhere.url.startswith(site.url + "/login")
