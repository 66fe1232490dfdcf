"""Generated test over every API route: role × own/other team → expected status."""

from __future__ import annotations

import importlib
import itertools
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import sessionmaker

import tests.permissions as package
from app.catalogs import Role, Team
from app.db import SessionDep
from app.deps import API_TOKEN_PREFIX, Principal, get_principal, hash_api_token
from app.main import create_app
from app.tokens.models import ApiToken
from app.users.models import User
from tests.conftest import bind_app, make_settings
from tests.factories import make_user
from tests.permissions.framework import OTHER_TEAM, OWN_TEAM, ROLES, Rule

MODULES = [
    importlib.import_module(f"{package.__name__}.{m.name}")
    for m in pkgutil.iter_modules(package.__path__)
    if m.name.startswith("rules_")
]
ALL_RULES: list[Rule] = [rule for mod in MODULES for rule in mod.RULES]
_counter = itertools.count(1)


def _api_routes() -> set[tuple[str, str]]:
    # Read from the OpenAPI document: every API route must be described there anyway.
    app = create_app(make_settings("sqlite://"), session_factory=None)
    return {
        (method.upper(), path)
        for path, ops in app.openapi()["paths"].items()
        if path.startswith("/api/")
        for method in ops
    }


def test_every_api_route_has_a_rule() -> None:
    ruled = {(r.method, r.path) for r in ALL_RULES}
    missing = sorted(_api_routes() - ruled)
    assert not missing, f"routes missing from the permission table: {missing}"
    stale = sorted(ruled - _api_routes())
    assert not stale, f"rules for routes that do not exist: {stale}"


def _build_world(db: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]], str]:
    users = {
        "psychologist": make_user(db, role=Role.psychologist, teams=[Team.lima]),
        "lawyer": make_user(db, role=Role.lawyer, teams=[Team.lima]),
        "social_worker": make_user(db, role=Role.social_worker, teams=[Team.lima]),
        "coordinator": make_user(db, role=Role.coordinator, teams=[Team.lima]),
        "admin": make_user(db, role=Role.admin),
    }
    authors = {
        t: make_user(db, role=Role.psychologist, teams=[Team(t)]) for t in (OWN_TEAM, OTHER_TEAM)
    }
    worlds: dict[str, dict[str, Any]] = {}
    for team in (OWN_TEAM, OTHER_TEAM):
        world: dict[str, Any] = {"n": next(_counter), "team": team}
        team_users = (
            dict(users)
            if team == OWN_TEAM
            else dict.fromkeys(("psychologist", "lawyer", "social_worker"), authors[team])
        )
        team_users["author"] = authors[team]
        for mod in MODULES:
            populate = getattr(mod, "populate", None)
            if populate is not None:
                world.update(populate(db, team, team_users | {"_world": world}))
        worlds[team] = world
    raw_token = f"{API_TOKEN_PREFIX}perm{next(_counter)}"
    db.add(ApiToken(name="perm", role=Role.visualiser, token_hash=hash_api_token(raw_token)))
    db.flush()
    return {role: user.id for role, user in users.items()}, worlds, raw_token


@pytest.fixture(scope="module")
def world_connection(engine: Engine) -> Iterator[tuple[Connection, Any]]:
    """One world for the whole table, built once inside a transaction rolled back at the end.

    Each case then runs inside a SAVEPOINT of its own that is rolled back, so the cases
    cannot see each other's writes while the (costly) world is built only once.
    """
    with engine.connect() as conn:
        outer = conn.begin()
        factory = sessionmaker(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        with factory() as session:
            built = _build_world(session)
            session.commit()
        yield conn, built
        outer.rollback()


CASES = [
    pytest.param(
        rule, role, own, id=f"{rule.method} {rule.path} {role} {'own' if own else 'other'}"
    )
    for rule in ALL_RULES
    for role in ROLES
    for own in (True, False)
    if own or isinstance(rule.expect[role], tuple)
]


@pytest.mark.parametrize(("rule", "role", "own"), CASES)
def test_permission(
    rule: Rule, role: str, own: bool, world_connection, _shared_app, database_url
) -> None:
    conn, (user_ids, worlds, raw_token) = world_connection
    world = worlds[OWN_TEAM if own else OTHER_TEAM]
    case_savepoint = conn.begin_nested()
    try:
        factory = sessionmaker(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        app = bind_app(_shared_app, make_settings(database_url), factory)
        headers: dict[str, str] = {}
        if role == "visualiser":
            headers["Authorization"] = f"Bearer {raw_token}"
        elif role != "anonymous":
            user_id = user_ids[role]

            def principal(session: SessionDep) -> Principal:
                return Principal(user=session.get_one(User, user_id), token=None)

            app.dependency_overrides[get_principal] = principal
        kwargs: dict[str, Any] = {"headers": headers}
        if rule.json:
            kwargs["json"] = rule.json(world)
        if rule.data:
            kwargs["data"] = rule.data(world)
        if rule.query:
            kwargs["params"] = rule.query(world)
        if rule.files:
            kwargs["files"] = rule.files(world)
        with TestClient(app) as client:
            resp = client.request(rule.method, rule.path.format(**world), **kwargs)
    finally:
        app.dependency_overrides.clear()
        case_savepoint.rollback()
    expected = rule.status(role, own)
    assert resp.status_code == expected, (
        f"{rule.method} {rule.path} as {role} ({'own' if own else 'other'} team): "
        f"{resp.status_code} {resp.text[:300]}"
    )
