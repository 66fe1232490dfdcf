"""A text over its limit is refused with the limit in the message, and what was typed is
kept on the form."""

from __future__ import annotations

from app.catalogs import Role, Team
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import post_form


def test_a_too_long_narrative_names_the_limit_and_is_kept(db, login_as):
    victim = make_victim(db, case=make_case(db, team=Team.lima))
    client = login_as(make_user(db, role=Role.lawyer, teams=[Team.lima]))
    page = f"/victimas/{victim.id}/seguimientos/nuevo"
    text = "Relato " + "x" * 20_000
    resp = post_form(
        client, page, page, {"occurred_on": "2024-05-02", "kind": "legal", "narrative": text}
    )
    assert resp.status_code == 422
    assert "demasiado largo (máximo 20000 caracteres)" in resp.text
    assert text in resp.text
