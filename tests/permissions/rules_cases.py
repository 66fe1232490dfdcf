"""Permission rules of /api/v1/cases.

`populate` creates, for each team, a live case with one victim (with identity), and puts
`case_id`, `case_version`, `victim_id`, `victim_version` in the world: rules of the work
on a victim or case (follow-ups, plans, detections, ...) may use them.
"""

from __future__ import annotations

from typing import Any

from app.catalogs import Team
from tests.factories import make_case, make_victim
from tests.permissions.framework import STAFF, Rule, case_work

CASE = "/api/v1/cases/{case_id}"


def list_rule() -> dict[str, int | tuple[int, int]]:
    """Lists answer 200 to every case reader (scoped by their teams), 403 to the others."""
    out: dict[str, int | tuple[int, int]] = dict.fromkeys(STAFF, 200)
    out.update({"coordinator": 200, "admin": 403, "visualiser": 403, "anonymous": 401})
    return out


def restore_rule() -> dict[str, int | tuple[int, int]]:
    """Coordinators only; the world's record is live, so their own team answers 409."""
    out: dict[str, int | tuple[int, int]] = dict.fromkeys(STAFF, 403)
    out.update({"coordinator": (409, 404), "admin": 403, "visualiser": 403, "anonymous": 401})
    return out


def _open(world: dict[str, Any]) -> dict[str, Any]:
    return {"team": world["team"], "opened_on": "2024-05-02", "referred_by": "fiscalia"}


def _created_in_own_team() -> dict[str, int | tuple[int, int]]:
    # The body names the world's team: a team the caller does not belong to is 403.
    out = case_work(read=False, created=True)
    out.update(dict.fromkeys(STAFF, (201, 403)))
    return out


RULES = [
    Rule("POST", "/api/v1/cases", _created_in_own_team(), json=_open),
    Rule("GET", "/api/v1/cases", list_rule()),
    Rule("GET", CASE, case_work()),
    Rule(
        "PATCH",
        CASE,
        case_work(read=False),
        json=lambda w: {"version": w["case_version"], "status": "follow_up"},
    ),
    Rule(
        "POST",
        CASE + "/close",
        case_work(read=False),
        json=lambda w: {
            "version": w["case_version"],
            "closed_on": "2024-06-01",
            "close_reason": "goals_met",
        },
    ),
    Rule(
        "POST",
        CASE + "/reopen",
        case_work(read=False, ok=409),
        json=lambda w: {"version": w["case_version"], "reason": "nueva denuncia"},
        note="the world's case is open: reopening it is a conflict",
    ),
    Rule(
        "DELETE",
        CASE,
        case_work(read=False, ok=204),
        query=lambda w: {"version": w["case_version"]},
    ),
    Rule("POST", CASE + "/restore", restore_rule(), json=lambda w: {"version": w["case_version"]}),
    Rule("GET", CASE + "/history", case_work()),
]


def populate(db: Any, team: str, users: dict[str, Any]) -> dict[str, Any]:
    case = make_case(db, team=Team(team))
    victim = make_victim(db, case=case, identity={"document_number": f"P{team}"})
    return {
        "case_id": case.id,
        "case_version": case.version,
        "victim_id": victim.id,
        "victim_version": victim.version,
    }
