"""The follow-up form opens as the author's own discipline, and says the kind matters."""

from __future__ import annotations

import re

import pytest

from app.catalogs import Role, Team
from tests.factories import make_case, make_user, make_victim

EXPECTED = {
    Role.psychologist: "psychological",
    Role.lawyer: "legal",
    Role.social_worker: "social",
}


def _selected_kind(html: str) -> str:
    select = re.search(r'<select[^>]*name="kind".*?</select>', html, re.S)
    assert select is not None
    chosen = re.findall(r'<option value="([^"]+)"[^>]*selected', select.group(0))
    assert len(chosen) == 1, chosen
    return chosen[0]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_the_kind_defaults_to_the_authors_role(db, login_as, role):
    case = make_case(db, team=Team.lima)
    victim = make_victim(db, case=case)
    client = login_as(make_user(db, role=role, teams=[Team.lima]))
    page = client.get(f"/victimas/{victim.id}/seguimientos/nuevo")
    assert page.status_code == 200
    assert _selected_kind(page.text) == EXPECTED[role]
    assert "Revise el tipo antes de guardar" in page.text
