"""Permission rules of the caseload: team staff, assignments, reassignment, caseload.

`populate` gives each team's world an open case of that team led by the team's author
(`assignment_id`). Assigning and ending are for staff and coordinators of the case's team
(404 elsewhere); reassigning and the caseload are the coordinators' (their teams: another
team is 404), 403 for everyone else.
"""

from __future__ import annotations

from typing import Any

from app.caseload.models import Assignment
from app.catalogs import Responsibility, Team
from app.db import today
from tests.factories import make_case
from tests.permissions.framework import ROLES, Rule, case_work


def populate(db: Any, team: str, users: dict[str, Any]) -> dict[str, Any]:
    case = make_case(db, team=Team(team))
    author = users["author"]
    assignment = Assignment(
        case_id=case.id,
        user_id=author.id,
        responsibility=Responsibility.lead,
        since=today(),
    )
    db.add(assignment)
    db.flush()
    return {"assignment_id": assignment.id, "author_id": author.id}


def _coordinators() -> dict[str, int | tuple[int, int]]:
    out: dict[str, int | tuple[int, int]] = dict.fromkeys(ROLES, 403)
    out.update({"coordinator": (200, 404), "anonymous": 401})
    return out


RULES = [
    Rule("GET", "/api/v1/teams/{team}/staff", case_work()),
    Rule(
        "POST",
        "/api/v1/cases/{case_id}/assignments",
        case_work(created=True),
        json=lambda w: {"user_id": str(w["author_id"]), "responsibility": "psychological"},
        note="the case of rules_cases; the team's author is active staff of its team",
    ),
    Rule("POST", "/api/v1/assignments/{assignment_id}/end", case_work(), json=lambda w: {}),
    Rule(
        "POST",
        "/api/v1/assignments/reassign",
        _coordinators(),
        json=lambda w: {
            "from_user_id": str(w["author_id"]),
            "to_user_id": str(w["author_id"]),
            "team": w["team"],
        },
        note="team= of another team: 404",
    ),
    Rule("GET", "/api/v1/caseload", _coordinators(), query=lambda w: {"team": w["team"]}),
]
