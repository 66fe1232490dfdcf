"""Statistics pages: tables with charts and download links, filters, role gates."""

from __future__ import annotations

import re

from app.catalogs import Role, Team, Typology
from tests.factories import make_case, make_user, make_victim


class TestTablePages:
    def test_tabla_13_counts_match_the_records(self, db, login_as):
        case = make_case(db, team=Team.cusco)
        make_victim(db, case=case, typology=Typology.forced_labour)
        make_victim(db, case=case, typology=Typology.forced_labour)
        make_victim(db, case=case)
        resp = login_as(make_user(db, role=Role.coordinator)).get(
            "/estadisticas/tablas/13?team=cusco&from=2024&to=2024"
        )
        assert resp.status_code == 200
        html = resp.text
        assert "Tabla 13" in html and "<svg" in html
        row = re.search(r"Trabajo forzoso</th>\s*<td class=\"num\">(\d+)</td>", html)
        assert row and row.group(1) == "2"
        assert "/api/v1/stats/typology?from=2024&amp;to=2024&amp;team=cusco&amp;format=xlsx" in html

    def test_every_table_page_renders(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        for n in range(10, 19):
            resp = client.get(f"/estadisticas/tablas/{n}")
            assert resp.status_code == 200, n
            assert f"Tabla {n}" in resp.text
        for path in (
            "/estadisticas",
            "/estadisticas/calidad",
            "/estadisticas/resultados",
            "/estadisticas/informe",
        ):
            assert client.get(path).status_code == 200, path

    def test_bad_year_is_shown_beside_the_filter(self, db, login_as):
        resp = login_as(make_user(db, role=Role.coordinator)).get(
            "/estadisticas/tablas/12?from=dos-mil"
        )
        assert resp.status_code == 422
        assert 'id="err-from"' in resp.text and 'value="dos-mil"' in resp.text

    def test_staff_may_not_see_statistics(self, db, login_as):
        resp = login_as(make_user(db, role=Role.social_worker)).get("/estadisticas/tablas/10")
        assert resp.status_code == 403

    def test_unknown_table_is_not_found(self, db, login_as):
        resp = login_as(make_user(db, role=Role.coordinator)).get("/estadisticas/tablas/99")
        assert resp.status_code == 404
