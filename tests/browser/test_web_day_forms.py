"""Issue 17 (1, 2, 6) in Chromium: a double submit records once; an expired session keeps
what was typed and brings it back to the same person; local drafts (closed tab, sign-out,
another person, 12 hours); forbidden pages answer the Spanish 403 page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.cases.models import Case
from app.deps import SESSION_COOKIE
from tests.browser.conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
CREATED = re.compile(r"/casos/[0-9a-f-]{36}\?aviso=creado$")
NARRATIVE = "Relato largo de la entrevista inicial. " * 20


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size_name}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])


def _cases(site) -> int:
    with site.session() as db:
        return int(db.scalar(select(func.count()).select_from(Case)) or 0)


def _fill_case(page, site, summary: str = "Resumen breve") -> None:
    page.goto(site.url + "/casos/nuevo")
    page.get_by_label("Derivado por (institución)").select_option("fiscalia")
    page.get_by_label("Resumen del caso").fill(summary)
    # The draft is saved a moment after typing stops (slower on a busy machine).
    page.wait_for_function(
        "s => Object.keys(localStorage).some(k => k.startsWith('calp-draft:')"
        " && JSON.parse(localStorage.getItem(k)).values.summary[0] === s)",
        arg=summary,
    )


def sign_in_here(page, username: str) -> None:
    """Sign in on the sign-in page the browser is on (its `next` decides where to go)."""
    from tests.factories import PASSWORD

    page.get_by_label("Usuario", exact=True).fill(username)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()


def _drafts(page) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('calp-draft:'))")


class TestDoubleSubmit:
    def test_double_click_records_one_case(self, site, new_page):
        page = new_page()
        sign_in(page, site, "psico.lima")
        _fill_case(page, site)
        before = _cases(site)
        page.get_by_role("button", name="Registrar caso").dblclick()
        page.wait_for_url(CREATED)
        assert _cases(site) == before + 1

    def test_the_server_refuses_a_repeat_the_page_could_not_stop(self, site, new_page):
        page = new_page()
        sign_in(page, site, "psico.lima")
        _fill_case(page, site)
        before = _cases(site)
        # Two sends of the same form, past the page's own guard (form.submit() skips it).
        page.evaluate(
            "() => { const f = document.querySelector('form.panel');"
            " f.submit(); setTimeout(() => f.submit(), 5); }"
        )
        for _ in range(100):  # the second send aborts the first navigation: poll
            if CREATED.search(page.url):
                break
            page.wait_for_timeout(100)
        assert CREATED.search(page.url), page.url
        page.wait_for_timeout(500)
        assert _cases(site) == before + 1


class TestExpiredSession:
    def test_sign_in_again_brings_back_everything_typed(self, site, new_page):
        page = new_page()
        sign_in(page, site, "psico.lima")
        _fill_case(page, site, NARRATIVE)
        before = _cases(site)
        page.context.clear_cookies(name=SESSION_COOKIE)  # what the browser does at expiry
        page.get_by_role("button", name="Registrar caso").click()
        page.wait_for_url(re.compile(r"/login\?.*motivo=expirada"))
        assert page.get_by_text("Tu sesión había expirado").is_visible()
        shoot(page, "web-day-signin-expired")
        sign_in_here(page, "psico.lima")
        page.wait_for_url(re.compile(r"/casos/nuevo\?aviso=expirada$"))
        assert page.get_by_text("Tu sesión había expirado").first.is_visible()
        assert page.get_by_label("Resumen del caso").input_value() == NARRATIVE
        assert page.get_by_label("Derivado por (institución)").input_value() == "fiscalia"
        assert _cases(site) == before
        shoot(page, "web-day-form-restored")
        page.get_by_role("button", name="Registrar caso").click()
        page.wait_for_url(CREATED)
        assert _cases(site) == before + 1
        assert _drafts(page) == []  # saved: the draft is gone

    def test_someone_else_signing_in_gets_nothing(self, site, new_page):
        page = new_page()
        sign_in(page, site, "psico.lima")
        _fill_case(page, site, NARRATIVE)
        page.context.clear_cookies(name=SESSION_COOKIE)
        page.get_by_role("button", name="Registrar caso").click()
        page.wait_for_url(re.compile(r"/login\?.*motivo=expirada"))
        sign_in(page, site, "abogada.cusco")
        assert _drafts(page) == []
        page.goto(site.url + "/casos/nuevo")
        assert page.get_by_label("Resumen del caso").input_value() == ""

    def test_a_form_left_idle_asks_before_sending_and_keeps_the_text(self, site, new_page):
        page = new_page()
        sign_in(page, site, "psico.lima")
        page.clock.install()
        _fill_case(page, site, NARRATIVE)
        before = _cases(site)
        page.clock.fast_forward("20:00")  # past half the idle time: the page asks first
        page.context.clear_cookies(name=SESSION_COOKIE)
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        page.get_by_role("button", name="Registrar caso").click()
        page.wait_for_url(re.compile(r"/login\?motivo=expirada&next=%2Fcasos%2Fnuevo$"))
        assert posts == []  # nothing typed was sent to a server that would refuse it
        assert page.get_by_text("Tu sesión había expirado").is_visible()
        sign_in_here(page, "psico.lima")
        page.wait_for_url(re.compile(r"/casos/nuevo\?aviso=expirada$"))
        assert page.get_by_label("Resumen del caso").input_value() == NARRATIVE
        assert _cases(site) == before

    def test_typing_pings_the_keep_alive(self, site, new_page):
        page = new_page()
        sign_in(page, site, "psico.lima")
        page.clock.install()
        page.goto(site.url + "/casos/nuevo")
        pings: list[str] = []
        page.on("request", lambda r: pings.append(r.url) if "/sesion/activa" in r.url else None)
        page.get_by_label("Resumen del caso").fill("a")
        page.wait_for_timeout(300)
        assert pings == []  # just loaded: no need yet
        page.clock.fast_forward("05:00")
        page.get_by_label("Resumen del caso").press_sequentially("bc")
        page.wait_for_timeout(500)
        assert len(pings) == 1  # once, not once a keystroke


class TestLocalDraft:
    def test_a_closed_tab_keeps_the_draft_for_the_same_person_only(self, site, new_page):
        page = new_page()
        sign_in(page, site, "psico.lima")
        _fill_case(page, site, NARRATIVE)
        context = page.context
        page.close()
        page = context.new_page()
        page.goto(site.url + "/casos/nuevo")
        assert page.get_by_label("Resumen del caso").input_value() == NARRATIVE
        assert page.get_by_text("Se recuperó lo que había escrito").is_visible()
        stored = page.evaluate(
            "() => Object.keys(localStorage).filter(k => k.startsWith('calp-draft:'))"
            ".map(k => k + localStorage.getItem(k)).join(' ')"
        )
        assert "psico" not in stored  # keyed by an opaque id, not the name
        page.get_by_role("button", name="Salir").click()
        page.wait_for_url(re.compile(r"/login\?aviso=salida$"))
        assert _drafts(page) == []

    def test_a_draft_older_than_12_hours_is_gone(self, site, new_page):
        page = new_page()
        sign_in(page, site, "psico.lima")
        _fill_case(page, site, NARRATIVE)
        page.evaluate(
            "() => { for (const k of Object.keys(localStorage)) { if (!k.startsWith('calp-draft:'))"
            " continue; const d = JSON.parse(localStorage.getItem(k));"
            " d.saved -= 13 * 3600 * 1000; localStorage.setItem(k, JSON.stringify(d)); } }"
        )
        page.goto(site.url + "/casos/nuevo")
        assert page.get_by_label("Resumen del caso").input_value() == ""
        assert _drafts(page) == []


FORBIDDEN = {
    "psico.lima": [
        "/estadisticas",
        "/estadisticas/tablas/10",
        "/estadisticas/calidad",
        "/estadisticas/resultados",
        "/estadisticas/informe",
        "/admin/usuarios",
        "/admin/usuarios/nuevo",
        "/admin/tokens",
    ],
    "coord.lima": ["/admin/usuarios", "/admin/usuarios/nuevo", "/admin/tokens"],
}


@pytest.mark.parametrize("username", sorted(FORBIDDEN))
def test_forbidden_pages_answer_the_spanish_403_page(site, new_page, username):
    page = new_page()
    sign_in(page, site, username)
    for path in FORBIDDEN[username]:
        response = page.goto(site.url + path)
        assert response is not None and response.status == 403, path
        assert page.get_by_role("heading", name="Acceso denegado").is_visible(), path
        assert page.get_by_role("button", name="Salir").is_visible()  # still signed in
    shoot(page, f"web-day-403-{username.split('.')[0]}")
