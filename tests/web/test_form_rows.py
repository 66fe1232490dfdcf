"""Repeated parts of a form (actions, needs, goals, route legs) show every row the person
had when the form comes back with an error: a row added with "Añadir otra" is not lost."""

from __future__ import annotations

import re

from app.catalogs import Role, Team
from app.templating import row_range
from tests.factories import make_case, make_user, make_victim


def test_row_range_grows_with_the_posted_rows():
    assert list(row_range({}, "actions", 3)) == [0, 1, 2]
    assert list(row_range(None, "actions", 3)) == [0, 1, 2]
    values = {"actions.4.type": "orientation", "goals.9.dimension": "health", "actions": "x"}
    assert list(row_range(values, "actions", 3)) == [0, 1, 2, 3, 4]
    assert len(row_range({"actions.999.type": "x"}, "actions", 3)) == 50  # the schemas' limit


def test_a_fifth_action_survives_a_form_error(db, login_as):
    victim = make_victim(db, case=make_case(db, team=Team.lima))
    client = login_as(make_user(db, role=Role.social_worker, teams=[Team.lima]))
    form = client.get(f"/victimas/{victim.id}/seguimientos/nuevo").text
    assert 'data-add-row="actions"' in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    data = {"csrf_token": token, "occurred_on": "2024-05-02", "kind": "social", "narrative": ""}
    for field in re.findall(r'name="(submission_token)" value="([^"]+)"', form):
        data[field[0]] = field[1]
    data |= {"actions.4.type": "orientation", "actions.4.status": "done"}
    resp = client.post(f"/victimas/{victim.id}/seguimientos/nuevo", data=data)
    assert resp.status_code == 422
    assert 'name="actions.4.type"' in resp.text
    chosen = re.search(r'<select[^>]*name="actions.4.type".*?</select>', resp.text, re.S).group(0)
    assert re.search(r'value="orientation"[^>]*selected', chosen)
