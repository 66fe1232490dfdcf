"""Permission rules of auth, users and catalogs."""

from __future__ import annotations

from typing import Any

from tests.permissions.framework import ROLES, Rule, everyone, only

ADMIN = ("admin",)


def _new_user(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "username": f"perm{world['n']}",
        "password": "una-clave-larga-9",
        "role": "lawyer",
        "teams": ["puno"],
    }


RULES = [
    Rule(
        "POST",
        "/api/v1/auth/token",
        dict.fromkeys(ROLES, 401),
        data=lambda w: {"username": "nobody", "password": "wrong-password"},
        note="wrong credentials are 401 for anyone",
    ),
    Rule("GET", "/api/v1/auth/me", everyone(200)),
    Rule(
        "POST",
        "/api/v1/auth/password",
        everyone(401),
        json=lambda w: {"current": "wrong-password", "new": "una-clave-nueva-1"},
        note="wrong current password",
    ),
    Rule("POST", "/api/v1/auth/logout-all", everyone(204)),
    Rule("POST", "/api/v1/auth/otp/enrol", everyone(200)),
    Rule(
        "POST",
        "/api/v1/auth/otp/confirm",
        everyone(422),
        json=lambda w: {"otp": "000000"},
        note="no enrolment started: the code cannot be valid",
    ),
    Rule("GET", "/api/v1/catalogs", everyone(200)),
    Rule("POST", "/api/v1/users", only(ADMIN, 201), json=_new_user),
    Rule("GET", "/api/v1/users", only(ADMIN)),
    Rule("GET", "/api/v1/users/{user_id}", only(ADMIN)),
    Rule(
        "PATCH",
        "/api/v1/users/{user_id}",
        only(ADMIN),
        json=lambda w: {"version": w["user_version"], "full_name": "Otro Nombre"},
    ),
    Rule("POST", "/api/v1/users/{user_id}/unlock", only(ADMIN)),
    Rule("POST", "/api/v1/users/{user_id}/logout-all", only(ADMIN, 204)),
]


def populate(db: Any, team: str, users: dict[str, Any]) -> dict[str, Any]:
    target = users["lawyer"]
    return {"user_id": target.id, "user_version": target.version}
