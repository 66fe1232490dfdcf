"""Permission rules of victims (the case and victim come from `rules_cases.populate`)."""

from __future__ import annotations

from typing import Any

from tests.permissions.framework import Rule, case_work
from tests.permissions.rules_cases import list_rule, restore_rule

VICTIM = "/api/v1/victims/{victim_id}"


def _victim(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "intake_on": "2024-05-02",
        "sex": "female",
        "age_at_intake": 19,
        "nationality": "PE",
        "typology": "forced_labour",
    }


RULES = [
    Rule(
        "POST", "/api/v1/cases/{case_id}/victims", case_work(read=False, created=True), json=_victim
    ),
    Rule("GET", "/api/v1/cases/{case_id}/victims", case_work()),
    Rule(
        "POST", "/api/v1/victims/search", list_rule(), json=lambda w: {"document_number": "Plima"}
    ),
    Rule("GET", VICTIM, case_work()),
    Rule(
        "PATCH",
        VICTIM,
        case_work(read=False),
        json=lambda w: {"version": w["victim_version"], "education_level": "primary"},
    ),
    Rule(
        "DELETE",
        VICTIM,
        case_work(read=False, ok=204),
        query=lambda w: {"version": w["victim_version"]},
    ),
    Rule(
        "POST", VICTIM + "/restore", restore_rule(), json=lambda w: {"version": w["victim_version"]}
    ),
    Rule("GET", VICTIM + "/history", case_work()),
    Rule("GET", VICTIM + "/file.pdf", case_work()),
]
