"""The demo accounts (all sharing the published demo password)."""

from __future__ import annotations

from app.demo.generate.draw import Record
from app.demo.generate.figures import TEAM_LABELS, TEAM_SLUGS, TEAMS


def demo_users() -> list[Record]:
    """Three staff accounts per team, one coordinator for every team and one admin."""
    users: list[Record] = []
    for team in TEAMS:
        slug, label = TEAM_SLUGS[team], TEAM_LABELS[team]
        for prefix, role, title in (
            ("psi", "psychologist", "Psicóloga"),
            ("abo", "lawyer", "Abogado"),
            ("ts", "social_worker", "Trabajadora social"),
        ):
            users.append(
                {
                    "username": f"demo_{prefix}_{slug}",
                    "full_name": f"{title} Demo {label}",
                    "role": role,
                    "teams": [team],
                }
            )
    users.append(
        {
            "username": "demo_coord",
            "full_name": "Coordinación Demo",
            "role": "coordinator",
            "teams": list(TEAMS),
        }
    )
    users.append(
        {"username": "demo_admin", "full_name": "Administración Demo", "role": "admin", "teams": []}
    )
    return users
