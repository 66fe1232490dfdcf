"""The "Buscar persona" page: posted (never in a URL), ranked results with why, another
team's existence by case code and team, errors beside the field, the hourly limit's page."""

from __future__ import annotations

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.catalogs import Role, Team
from app.victims.disclosure import PER_HOUR
from tests.factories import make_case, make_user
from tests.victims.test_name_search import register
from tests.web.helpers import post_form

PAGE = "/victimas/buscar"


def test_results_with_why_and_another_teams_case(db, login_as):
    lima_case, cusco_case = make_case(db, team=Team.lima), make_case(db, team=Team.cusco)
    worker = make_user(db, teams=[Team.lima])
    mine = register(login_as(worker), lima_case, "Rosa", "Huamán Condori", age=22)
    theirs = register(
        login_as(make_user(db, teams=[Team.cusco])), cusco_case, "Rosa", "Waman Kunturi", age=23
    )
    client = login_as(worker)
    assert "Buscar persona" in client.get(PAGE).text
    resp = post_form(client, PAGE, PAGE, {"name": "rosa guaman", "sex": "female", "age": "22"})
    assert resp.status_code == 200
    assert mine["code"] in resp.text and "nombre, sexo, edad" in resp.text
    assert f"<strong>{cusco_case.code}</strong> (Cusco)" in resp.text
    assert theirs["code"] not in resp.text and "Kunturi" not in resp.text
    assert 'value="rosa guaman"' in resp.text  # the form keeps what was typed


def test_nothing_typed_is_explained_beside_the_name(db, login_as):
    client = login_as(make_user(db))
    resp = post_form(client, PAGE, PAGE, {"name": " ", "sex": "female"})
    assert resp.status_code == 422
    assert 'id="err-name"' in resp.text and "Escriba un nombre" in resp.text
    bad_age = post_form(client, PAGE, PAGE, {"name": "rosa", "age": "300"})
    assert bad_age.status_code == 422 and 'id="err-age"' in bad_age.text


def test_past_the_hourly_limit_the_page_says_so(db, login_as):
    worker = make_user(db, teams=[Team.lima])
    for _ in range(PER_HOUR):
        record_event(db, AuditAction.disclose_existence, actor=worker, detail="search")
    db.flush()
    client = login_as(worker)
    resp = post_form(client, PAGE, PAGE, {"name": "rosa", "sex": "female"})
    assert resp.status_code == 429
    assert "límite de consultas sobre otros equipos" in resp.text


def test_admin_may_not_search(db, login_as):
    admin = login_as(make_user(db, role=Role.admin))
    assert admin.get(PAGE).status_code == 403
