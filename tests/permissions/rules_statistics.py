"""Permission rules of the statistics endpoints: coordinators and admin, every team."""

from __future__ import annotations

from tests.permissions.framework import Rule, only

READERS = ("coordinator", "admin")
_TABLES = (
    "cases-by-team",
    "cases-by-year",
    "victim-profile",
    "typology",
    "trafficking-purpose",
    "capture-modality",
    "violence-history",
    "report",
    "data-quality",
    "outcomes",
)

RULES = [
    *(
        Rule(
            "GET",
            f"/api/v1/stats/{slug}",
            only(READERS),
            note="aggregates only; staff roles and visualiser tokens get 403",
        )
        for slug in _TABLES
    ),
    Rule("GET", "/api/v1/stats/practices", only(READERS), query=lambda w: {"polarity": "bad"}),
]
