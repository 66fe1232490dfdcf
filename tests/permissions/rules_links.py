"""Permission rules of links between two victim records of the same person.

`populate` makes, in each team, two more victims: `link_other_id` (not linked, the body of
the POST) and one already linked with the world's victim (`link_id`). For the other team
the POST's path names a victim the caller does not see: 404 before the body is read.
"""

from __future__ import annotations

from typing import Any

from app.catalogs import Team
from tests.factories import make_case, make_victim
from tests.permissions.framework import Rule, case_work

V = "/api/v1/victims/{victim_id}"

RULES = [
    Rule(
        "POST",
        f"{V}/links",
        case_work(read=False, created=True),
        json=lambda w: {"other_victim_id": str(w["link_other_id"]), "reason": "Misma persona."},
    ),
    Rule("GET", f"{V}/links", case_work()),
    Rule(
        "DELETE",
        "/api/v1/links/{link_id}",
        case_work(read=False, ok=204),
        query=lambda w: {"version": w["link_version"]},
    ),
]


def populate(db: Any, team: str, users: dict[str, Any]) -> dict[str, Any]:
    from app.cases.models import Case
    from app.links.models import VictimLink
    from app.victims.models import Victim

    world = users["_world"]
    out: dict[str, Any] = {}
    case = db.get(Case, world["case_id"]) if "case_id" in world else None
    if case is None:
        case = make_case(db, team=Team(team))
        out["case_id"] = case.id
    victim = db.get(Victim, world["victim_id"]) if "victim_id" in world else None
    if victim is None:
        victim = make_victim(db, case=case)
        out["victim_id"] = victim.id
    spare = make_victim(db, case=make_case(db, team=Team(team)))
    linked = make_victim(db, case=make_case(db, team=Team(team)))
    low, high = sorted((victim.id, linked.id))
    link = VictimLink(victim_id=low, other_victim_id=high)
    db.add(link)
    db.flush()
    return out | {"link_other_id": spare.id, "link_id": link.id, "link_version": link.version}
