"""Permission rules of the agenda: staff and coordinators (their teams' items), nobody else.

The agenda is a list over the caller's teams, never a record by id: another team's items
are simply absent (tests/agenda), so both columns of the table answer 200.
"""

from __future__ import annotations

from tests.permissions.framework import STAFF, Rule, only

READERS = (*STAFF, "coordinator")

RULES = [
    Rule("GET", "/api/v1/agenda", only(READERS), note="scope=mine by default"),
    Rule(
        "GET",
        "/api/v1/agenda",
        only(READERS),
        query=lambda w: {"scope": "team", "team": w["team"]},
        note="team= of another team: an empty page, not an error",
    ),
]
