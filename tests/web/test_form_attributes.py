"""Extra input attributes reach the browser as attributes, not as escaped text: phones get
the numeric keypad and the limits of a number field only when `min`/`inputmode` parse."""

from __future__ import annotations

import re

import pytest

from app.catalogs import Role, Team
from tests.factories import make_user

PAGES = {
    "/casos": ('min="1990"', 'max="2100"', 'inputmode="numeric"', 'placeholder="LIM-2024-0042"'),
    "/estadisticas/tablas/10": ('min="1990"', 'inputmode="numeric"'),
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_number_fields_carry_real_attributes(db, login_as, path):
    client = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    html = client.get(path).text
    for attribute in PAGES[path]:
        assert attribute in html, attribute
    inputs = re.findall(r"<input[^>]*>", html)
    assert not [i for i in inputs if "&#34;" in i or "&quot;" in i]
