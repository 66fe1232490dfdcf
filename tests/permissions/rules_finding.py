"""Permission rules of finding a person: the name search on /api/v1/victims/search (the
document search's rule is in rules_victims). A strong query (name with sex and age) also
reaches the other teams' side of the search, and its hourly disclosure limit."""

from __future__ import annotations

from tests.permissions.framework import Rule
from tests.permissions.rules_cases import list_rule

RULES = [
    Rule(
        "POST",
        "/api/v1/victims/search",
        list_rule(),
        json=lambda w: {"name": "maria quispe", "sex": "female", "age": 15},
        note="by name: staff and coordinators of any team get 200 (scoped), others 403",
    ),
]
