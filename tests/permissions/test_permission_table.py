"""Generated test over every API route: role × own/other team → expected status."""

from __future__ import annotations

import importlib
import itertools
import pkgutil
from typing import Any

import pytest

import tests.permissions as package
from app.catalogs import Role, Team
from app.deps import API_TOKEN_PREFIX, hash_api_token
from app.tokens.models import ApiToken
from tests.factories import make_user
from tests.permissions.framework import OTHER_TEAM, OWN_TEAM, ROLES, Rule

MODULES = [importlib.import_module(f"{package.__name__}.{m.name}")
           for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("rules_")]
ALL_RULES: list[Rule] = [rule for mod in MODULES for rule in mod.RULES]
_counter = itertools.count(1)


def _api_routes() -> set[tuple[str, str]]:
    from app.main import create_app
    from tests.conftest import make_settings

    # Read from the OpenAPI document: every API route must be described there anyway.
    app = create_app(make_settings("sqlite://"), session_factory=None)
    return {(method.upper(), path) for path, ops in app.openapi()["paths"].items()
            if path.startswith("/api/") for method in ops}


def test_every_api_route_has_a_rule() -> None:
    ruled = {(r.method, r.path) for r in ALL_RULES}
    missing = sorted(_api_routes() - ruled)
    assert not missing, f"routes missing from the permission table: {missing}"
    stale = sorted(ruled - _api_routes())
    assert not stale, f"rules for routes that do not exist: {stale}"


def _build_world(db: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    users = {
        "psychologist": make_user(db, role=Role.psychologist, teams=[Team.lima]),
        "lawyer": make_user(db, role=Role.lawyer, teams=[Team.lima]),
        "social_worker": make_user(db, role=Role.social_worker, teams=[Team.lima]),
        "coordinator": make_user(db, role=Role.coordinator, teams=[Team.lima]),
        "admin": make_user(db, role=Role.admin),
    }
    authors = {t: make_user(db, role=Role.psychologist, teams=[Team(t)])
               for t in (OWN_TEAM, OTHER_TEAM)}
    worlds: dict[str, dict[str, Any]] = {}
    for team in (OWN_TEAM, OTHER_TEAM):
        world: dict[str, Any] = {"n": next(_counter), "team": team}
        team_users = dict(users) if team == OWN_TEAM else {
            r: authors[team] for r in ("psychologist", "lawyer", "social_worker")}
        team_users["author"] = authors[team]
        for mod in MODULES:
            populate = getattr(mod, "populate", None)
            if populate is not None:
                world.update(populate(db, team, team_users | {"_world": world}))
        worlds[team] = world
    db.flush()
    return users, worlds


CASES = [pytest.param(rule, role, own, id=f"{rule.method} {rule.path} {role} "
                      f"{'own' if own else 'other'}")
         for rule in ALL_RULES for role in ROLES for own in (True, False)
         if own or isinstance(rule.expect[role], tuple)]


@pytest.mark.parametrize(("rule", "role", "own"), CASES)
def test_permission(rule: Rule, role: str, own: bool, db, client, login_as) -> None:
    users, worlds = _build_world(db)
    world = worlds[OWN_TEAM if own else OTHER_TEAM]
    headers: dict[str, str] = {}
    if role == "visualiser":
        raw = f"{API_TOKEN_PREFIX}perm{next(_counter)}"
        db.add(ApiToken(name="perm", role=Role.visualiser, token_hash=hash_api_token(raw)))
        db.flush()
        headers["Authorization"] = f"Bearer {raw}"
    elif role != "anonymous":
        login_as(users[role])
    path = rule.path.format(**world)
    kwargs: dict[str, Any] = {"headers": headers}
    if rule.json:
        kwargs["json"] = rule.json(world)
    if rule.data:
        kwargs["data"] = rule.data(world)
    if rule.query:
        kwargs["params"] = rule.query(world)
    if rule.files:
        kwargs["files"] = rule.files(world)
    resp = client.request(rule.method, path, **kwargs)
    expected = rule.status(role, own)
    assert resp.status_code == expected, (
        f"{rule.method} {rule.path} as {role} ({'own' if own else 'other'} team): "
        f"{resp.status_code} {resp.text[:300]}")
