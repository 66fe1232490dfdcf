"""Transfer pages: propose on the case page, the "Traslados" page of each team, accept,
reject and withdraw by form; the receiving team's pages show no identity before."""

from __future__ import annotations

import pytest

from app.catalogs import Role, Team
from tests.factories import make_case, make_user, make_victim
from tests.transfers.test_api import DOCUMENT, FAMILY, NAME, NOTE, SECRETS, SUMMARY
from tests.web.helpers import csrf, post_form

pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")


@pytest.fixture
def world(db):
    case = make_case(db, team=Team.puno, summary=SUMMARY)
    make_victim(
        db,
        case=case,
        identity={"given_names": NAME, "family_names": FAMILY, "document_number": DOCUMENT},
    )
    return {
        "case": case,
        "puno": make_user(db, role=Role.psychologist, teams=[Team.puno]),
        "lima": make_user(db, role=Role.social_worker, teams=[Team.lima]),
    }


def _propose(client, case, **data):
    page = f"/casos/{case.id}"
    body = {"version": case.version, "to_team": "lima", "reason": "victim_moved", "note": NOTE}
    return post_form(client, page, f"/traslados/casos/{case.id}", body | data)


def _act(client, transfer_page_html_path, action_path):
    token = csrf(client, transfer_page_html_path)
    return client.post(action_path, data={"csrf_token": token}, follow_redirects=False)


def _transfer_id(client):
    (item,) = client.get("/api/v1/transfers?status=pending").json()["items"]
    return item["id"]


def test_case_page_offers_the_form_and_then_shows_it_pending(world, login_as):
    client = login_as(world["puno"])
    page = client.get(f"/casos/{world['case'].id}").text
    assert "Proponer traslado" in page and 'name="to_team"' in page
    assert '<option value="puno"' not in page.split('name="to_team"')[1].split("</select>")[0]
    resp = _propose(client, world["case"])
    assert resp.status_code == 303, resp.text
    page = client.get(resp.headers["location"]).text
    assert "Traslado propuesto" in page and "Traslado pendiente a" in page
    assert "Retirar el traslado" in page
    assert NOTE in page  # the timeline of the team in charge shows its own note


def test_same_team_shows_the_form_again_with_the_reason(world, login_as):
    resp = _propose(login_as(world["puno"]), world["case"], to_team="")
    assert resp.status_code == 422
    assert "Proponer traslado del caso" in resp.text and "obligatorio" in resp.text


def test_receiving_team_accepts_from_its_page(world, login_as):
    _propose(login_as(world["puno"]), world["case"])
    lima = login_as(world["lima"])
    page = lima.get("/traslados")
    assert page.status_code == 200
    assert world["case"].code in page.text and "Aceptar el traslado" in page.text
    for secret in SECRETS:
        assert secret not in page.text
    assert lima.get(f"/casos/{world['case'].id}").status_code == 404
    tid = _transfer_id(lima)
    resp = _act(lima, "/traslados", f"/traslados/{tid}/aceptar")
    assert resp.status_code == 303
    assert resp.headers["location"].startswith(f"/casos/{world['case'].id}")
    case_page = lima.get(resp.headers["location"]).text
    assert "Traslado aceptado" in case_page and NOTE in case_page
    assert "Lima" in case_page
    assert login_as(world["puno"]).get(f"/casos/{world['case'].id}").status_code == 404


def test_receiving_team_rejects(world, login_as):
    _propose(login_as(world["puno"]), world["case"])
    lima = login_as(world["lima"])
    resp = _act(lima, "/traslados", f"/traslados/{_transfer_id(lima)}/rechazar")
    assert resp.status_code == 303 and resp.headers["location"].startswith("/traslados")
    assert "Rechazado" in lima.get("/traslados").text
    puno_page = login_as(world["puno"]).get(f"/casos/{world['case'].id}").text
    assert "Traslado rechazado" in puno_page


def test_sending_team_withdraws_from_the_case_page(world, login_as):
    puno = login_as(world["puno"])
    _propose(puno, world["case"])
    tid = _transfer_id(puno)
    resp = _act(puno, f"/casos/{world['case'].id}", f"/traslados/{tid}/retirar")
    assert resp.status_code == 303
    page = puno.get(resp.headers["location"]).text
    assert "Traslado retirado" in page and "Proponer traslado" in page


def test_unknown_step_is_404_and_other_team_cannot_see_the_form(db, world, login_as):
    puno = login_as(world["puno"])
    _propose(puno, world["case"])
    tid = _transfer_id(puno)
    assert _act(puno, "/traslados", f"/traslados/{tid}/borrar").status_code == 404
    other = make_case(db, team=Team.cusco)
    assert puno.get(f"/traslados/casos/{other.id}/nuevo").status_code == 404
    assert puno.get(f"/traslados/casos/{world['case'].id}/nuevo").status_code == 200


def test_home_says_how_many_wait_for_an_answer(world, login_as):
    lima = login_as(world["lima"])
    assert "por responder" not in lima.get("/").text
    _propose(login_as(world["puno"]), world["case"])
    home = login_as(world["lima"]).get("/").text
    assert "1 traslado por responder" in home and 'href="/traslados"' in home
    assert "por responder" not in login_as(world["puno"]).get("/").text


def test_closing_the_case_withdraws_its_pending_transfer(db, world, login_as):
    case = world["case"]
    _propose(login_as(world["puno"]), case)
    db.refresh(case)
    puno = login_as(world["puno"])
    page = f"/casos/{case.id}/cerrar"
    warning = puno.get(page).text
    assert "traslado pendiente a" in warning and "el traslado se" in warning
    body = {
        "version": case.version,
        "closed_on": "2024-06-01",
        "close_reason": "relocated",
    }
    resp = post_form(puno, page, f"/casos/{case.id}/cerrar", body)
    assert resp.status_code == 303, resp.text
    timeline = puno.get(resp.headers["location"]).text
    assert "Traslado retirado" in timeline and "al cerrar el caso" in timeline
    assert "Traslado pendiente a" not in timeline
    lima = login_as(world["lima"])
    assert "Aceptar el traslado" not in lima.get("/traslados").text
    assert "por responder" not in lima.get("/").text
