"""Permission rules of visualiser token management (admin only)."""

from __future__ import annotations

from typing import Any

from app.catalogs import Role
from app.deps import API_TOKEN_PREFIX, hash_api_token
from app.tokens.models import ApiToken
from tests.permissions.framework import Rule, only

ADMIN = ("admin",)

RULES = [
    Rule(
        "POST",
        "/api/v1/tokens",
        only(ADMIN, 201),
        json=lambda w: {"name": f"perm {w['n']}", "role": "visualiser"},
    ),
    Rule("GET", "/api/v1/tokens", only(ADMIN)),
    Rule("DELETE", "/api/v1/tokens/{token_id}", only(ADMIN)),
]


def populate(db: Any, team: str, users: dict[str, Any]) -> dict[str, Any]:
    token = ApiToken(
        name=f"populate {team}",
        role=Role.visualiser,
        token_hash=hash_api_token(f"{API_TOKEN_PREFIX}populate-{team}-{id(db)}"),
    )
    db.add(token)
    db.flush()
    return {"token_id": token.id}
