"""Caseload pages: the case page's "Equipo a cargo", assigning and ending from it, the
coordinators' reassignment page, and the home page's "Mis casos" and team caseload."""

from __future__ import annotations

from sqlalchemy import select

from app.caseload.models import Assignment
from app.catalogs import Responsibility, Role, Team
from app.db import today
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import post_form


def _lead(db, case, user, responsibility=Responsibility.lead):
    a = Assignment(case_id=case.id, user_id=user.id, responsibility=responsibility, since=today())
    db.add(a)
    db.flush()
    return a


class TestCasePage:
    def test_assign_from_the_case_page_then_end(self, db, login_as):
        me = make_user(db, full_name="Lucía Quispe")
        colleague = make_user(db, role=Role.social_worker, full_name="Óscar Mamani")
        case = make_case(db)
        client = login_as(me)
        page = client.get(f"/casos/{case.id}")
        assert "Equipo a cargo" in page.text and "Sin responsable" in page.text
        assert "Óscar Mamani" in page.text  # offered in the select
        resp = post_form(
            client,
            f"/casos/{case.id}",
            f"/asignaciones/casos/{case.id}",
            {"user_id": str(colleague.id), "responsibility": "lead"},
        )
        assert resp.status_code == 303, resp.text
        page = client.get(resp.headers["location"])
        assert "Asignación registrada." in page.text
        assert "Responsable del caso:</strong> Óscar Mamani" in page.text
        assignment = db.scalar(select(Assignment).where(Assignment.case_id == case.id))
        resp = post_form(client, f"/casos/{case.id}", f"/asignaciones/{assignment.id}/terminar", {})
        assert resp.status_code == 303
        page = client.get(resp.headers["location"])
        assert "Asignaciones anteriores (1)" in page.text and "Sin responsable" in page.text

    def test_someone_of_another_team_shows_the_form_again_with_why(self, db, login_as):
        me, puno = make_user(db), make_user(db, teams=[Team.puno])
        case = make_case(db)
        client = login_as(me)
        resp = post_form(
            client,
            f"/asignaciones/casos/{case.id}",
            f"/asignaciones/casos/{case.id}",
            {"user_id": str(puno.id), "responsibility": "legal"},
        )
        assert resp.status_code == 422
        assert "Solo se asigna a personal activo del equipo del caso." in resp.text

    def test_another_team_case_404(self, db, login_as):
        case = make_case(db, team=Team.puno)
        assert login_as(make_user(db)).get(f"/asignaciones/casos/{case.id}").status_code == 404


class TestReassignPage:
    def test_coordinator_moves_cases_and_sees_skipped(self, db, login_as):
        coord = make_user(db, role=Role.coordinator, teams=[Team.lima, Team.cusco])
        leaving = make_user(db, teams=[Team.lima, Team.cusco], full_name="Ana Sale")
        taking = make_user(db, full_name="Berta Queda")
        lima, cusco = make_case(db), make_case(db, team=Team.cusco)
        _lead(db, lima, leaving)
        _lead(db, cusco, leaving)
        client = login_as(coord)
        form = client.get("/coordinacion/reasignar")
        assert form.status_code == 200 and "Ana Sale" in form.text
        resp = post_form(
            client,
            "/coordinacion/reasignar",
            "/coordinacion/reasignar",
            {"from_user_id": str(leaving.id), "to_user_id": str(taking.id)},
        )
        assert resp.status_code == 200, resp.text
        assert "<strong>1</strong> asignación reasignada" in resp.text
        assert cusco.code in resp.text and "no pertenece a su equipo" in resp.text

    def test_staff_403(self, db, login_as):
        assert login_as(make_user(db)).get("/coordinacion/reasignar").status_code == 403


class TestHome:
    def test_my_cases_first_with_next_due(self, db, login_as):
        me = make_user(db)
        mine, other = make_case(db), make_case(db)
        victim = make_victim(db, case=mine)
        victim.reflection_until = today()
        db.flush()
        _lead(db, mine, me)
        page = login_as(me).get("/").text
        assert page.index("Mis casos") < page.index("Casos abiertos de mi equipo")
        section = page[page.index('id="h-mine"') : page.index("Casos abiertos de mi equipo")]
        assert mine.code in section and other.code not in section
        assert victim.code in section

    def test_no_cases_says_so(self, db, login_as):
        page = login_as(make_user(db)).get("/").text
        assert "No tiene casos asignados." in page

    def test_coordinator_sees_load_per_worker_and_unassigned(self, db, login_as):
        coord = make_user(db, role=Role.coordinator, teams=[Team.lima])
        worker = make_user(db, full_name="Carmen Ríos")
        gone = make_user(db, full_name="Dora Fuera")
        led, orphan = make_case(db), make_case(db)
        make_victim(db, case=led)
        _lead(db, led, worker)
        _lead(db, orphan, gone)
        gone.active = False
        db.flush()
        page = login_as(coord).get("/").text
        assert "Carga de trabajo del equipo" in page and "Carmen Ríos" in page
        assert "Dora Fuera" not in page
        assert "Sin responsable (1)" in page and orphan.code in page
