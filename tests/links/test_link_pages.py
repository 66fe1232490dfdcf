"""The victim page's "Otras atenciones de la misma persona": link by code, unlink."""

from __future__ import annotations

from sqlalchemy import select

from app.catalogs import Role, Team
from app.links.models import VictimLink
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import post_form


def test_link_by_code_shows_on_both_pages_and_unlinks(db, login_as):
    first = make_victim(db, case=make_case(db))
    again = make_victim(db, case=make_case(db))
    client = login_as(make_user(db))
    form = f"/victimas/{again.id}/vincular"
    page = client.get(form + f"?con={first.code}")
    assert page.status_code == 200 and f'value="{first.code}"' in page.text
    resp = post_form(
        client, form, form, {"other_code": first.code.lower(), "reason": "Misma persona"}
    )
    assert resp.status_code == 303, resp.text
    assert resp.headers["location"].endswith(f"/victimas/{again.id}?aviso=vinculado")
    mine = client.get(f"/victimas/{again.id}")
    assert "Otras atenciones de la misma persona" in mine.text and first.code in mine.text
    theirs = client.get(f"/victimas/{first.id}")
    assert again.code in theirs.text and "Misma persona" in theirs.text
    link = db.scalars(select(VictimLink)).one()
    unlink = post_form(
        client,
        f"/victimas/{first.id}",
        f"/victimas/{first.id}/vinculos/{link.id}/quitar",
        {"version": link.version},
    )
    assert unlink.status_code == 303
    assert again.code not in client.get(f"/victimas/{first.id}").text


def test_unknown_or_other_team_code_is_explained_beside_the_field(db, login_as):
    mine = make_victim(db, case=make_case(db, team=Team.lima))
    theirs = make_victim(db, case=make_case(db, team=Team.cusco))
    client = login_as(make_user(db, teams=[Team.lima]))
    form = f"/victimas/{mine.id}/vincular"
    for code in (theirs.code, "LIM-1999-0001-V9", ""):
        resp = post_form(client, form, form, {"other_code": code, "reason": "x"})
        assert resp.status_code == 422
        assert 'aria-invalid="true"' in resp.text
    same = post_form(client, form, form, {"other_code": mine.code})
    assert same.status_code == 422 and "no se vincula consigo misma" in same.text
    assert db.scalars(select(VictimLink)).all() == []


def test_coordinators_see_links_without_actions(db, login_as):
    first = make_victim(db, case=make_case(db))
    again = make_victim(db, case=make_case(db))
    low, high = sorted((first.id, again.id))
    db.add(VictimLink(victim_id=low, other_victim_id=high))
    db.flush()
    coordinator = login_as(make_user(db, role=Role.coordinator))
    page = coordinator.get(f"/victimas/{first.id}")
    assert again.code in page.text
    assert "Desvincular" not in page.text and "Vincular otra atención" not in page.text
    assert coordinator.get(f"/victimas/{first.id}/vincular").status_code == 403
