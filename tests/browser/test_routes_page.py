"""In a real browser: the route map (/rutas) renders its SVG and tables, protected for
casework staff and exact for a coordinator; screenshots at desktop and phone widths."""

from __future__ import annotations

from datetime import date

import pytest

from app.catalogs import Team
from tests.browser.conftest import shoot, sign_in
from tests.factories import make_case, make_victim

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning"),
]


def test_route_map_renders_protected_and_exact(site, new_page):
    with site.session() as db:
        for n, route in (
            (9, [("capture", "PE", "15"), ("exploitation", "PE", "17")]),
            (6, [("capture", "VE", None), ("exploitation", "PE", "15")]),
            (2, [("capture", "PE", "08"), ("exploitation", "PE", "08")]),
        ):
            for _ in range(n):
                case = make_case(db, team=Team.lima, opened_on=date(2024, 3, 1))
                make_victim(db, case=case, route=route)
        db.commit()
    failed: list[str] = []  # stylesheets and the like the page asks for and does not get
    page = new_page()
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/rutas")
    assert page.locator("svg line.flow, svg .flow").count() >= 1
    assert "Cifras protegidas" in page.content()
    table = page.get_by_role("table").first
    rows = table.locator("tbody tr")
    assert rows.count() == 2  # Cusco -> Cusco (2 victims) left out
    assert "Cusco" not in table.inner_text()
    shoot(page, "routes-protected")

    coordinator = new_page()
    sign_in(coordinator, site, "coord.lima")
    coordinator.goto(f"{site.url}/rutas")
    table = coordinator.get_by_role("table").first
    assert table.locator("tbody tr").count() == 3
    assert "Cusco" in table.inner_text() and "cifras exactas" in coordinator.content()
    assert not [url for url in failed if not url.endswith("/favicon.ico")], failed
