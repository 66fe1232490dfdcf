"""Permission rules of transfers between teams.

`populate` gives each team's world a case of Puno with a pending transfer *to* that team
(`transfer_id`): the own world's is Lima's to accept or reject, the other world's is
Cusco's, which Lima does not see (404). Withdrawing it is the sending team's (Puno's), so
the receiving team's staff get 403 on their own world; a real withdrawal is tested in
tests/transfers.
"""

from __future__ import annotations

from typing import Any

from app.catalogs import Team, TransferReason, TransferStatus
from app.db import utcnow
from app.transfers.models import Transfer
from tests.factories import make_case
from tests.permissions.framework import STAFF, Rule, case_work
from tests.permissions.rules_cases import list_rule

STEP = "/api/v1/transfers/{transfer_id}"


def populate(db: Any, team: str, users: dict[str, Any]) -> dict[str, Any]:
    case = make_case(db, team=Team.puno)
    transfer = Transfer(
        case_id=case.id,
        from_team=Team.puno,
        to_team=Team(team),
        reason=TransferReason.victim_moved,
        status=TransferStatus.pending,
        proposed_at=utcnow(),
    )
    db.add(transfer)
    db.flush()
    return {"transfer_id": transfer.id}


def _receiving() -> dict[str, int | tuple[int, int]]:
    out: dict[str, int | tuple[int, int]] = dict.fromkeys(STAFF, (200, 404))
    out.update({"coordinator": (200, 404), "admin": 403, "visualiser": 403, "anonymous": 401})
    return out


def _sending_only() -> dict[str, int | tuple[int, int]]:
    out: dict[str, int | tuple[int, int]] = dict.fromkeys(STAFF, (403, 404))
    out.update({"coordinator": (403, 404), "admin": 403, "visualiser": 403, "anonymous": 401})
    return out


RULES = [
    Rule(
        "POST",
        "/api/v1/cases/{case_id}/transfers",
        case_work(read=False, created=True),
        json=lambda w: {"version": w["case_version"], "to_team": "puno", "reason": "other"},
    ),
    Rule("GET", "/api/v1/transfers", list_rule()),
    Rule("POST", STEP + "/accept", _receiving(), json=lambda w: {"note": "Recibido."}),
    Rule("POST", STEP + "/reject", _receiving(), json=lambda w: {}),
    Rule(
        "POST",
        STEP + "/withdraw",
        _sending_only(),
        note="the world's transfer is received by the caller's team: only Puno withdraws it",
    ),
]
