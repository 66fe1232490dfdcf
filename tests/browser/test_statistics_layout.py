"""In a real browser at 1280×800: the widest statistics tables (Tabla 16, data quality) are
not cut (no hidden columns behind a scroll bar), and each table says its unit and
denominator on screen; screenshots at 1280×800 and 375×812."""

from __future__ import annotations

import pytest

from app.catalogs import Team, ViolenceAnswer
from tests.browser.conftest import shoot, sign_in
from tests.factories import make_case, make_victim

pytestmark = pytest.mark.browser

# Every table wrapper whose content is wider than the wrapper itself (a cut table).
CUT_TABLES = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(w => w.scrollWidth > w.clientWidth + 1).length"""


@pytest.fixture(scope="module")
def victims(site):
    with site.session() as db:
        for team in (Team.lima, Team.cusco):
            case = make_case(db, team=team)
            make_victim(db, case=case, violence_sexual=ViolenceAnswer.yes)
            make_victim(db, case=case)
        db.commit()


@pytest.mark.parametrize(
    ("path", "shot"),
    [("/estadisticas/tablas/16", "stats-table16"), ("/estadisticas/calidad", "stats-quality")],
)
def test_wide_tables_fit_a_1280_window(site, new_page, victims, path, shot):
    page = new_page()
    sign_in(page, site, "coord.lima")
    page.goto(site.url + path)
    assert page.locator("table").count() >= 1
    assert page.evaluate(CUT_TABLES) == 0
    shoot(page, shot)


def test_tabla_16_states_unit_denominator_and_the_extra_line(site, new_page, victims):
    page = new_page()
    sign_in(page, site, "coord.lima")
    page.goto(site.url + "/estadisticas/tablas/16")
    assert page.get_by_text("Unidad: víctimas · Porcentajes sobre").is_visible()
    note = page.locator(".stats-note")
    assert "no tienen registrado ningún tipo de antecedente" in note.inner_text()
    # The explanation lies outside the table: its body and footer keep the published rows.
    assert page.locator("table tfoot tr").count() == 1
    assert page.locator("table", has_text="Sin información: ").count() == 0
