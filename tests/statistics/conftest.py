"""Fixtures of the statistics tests: the demo dataset loaded once per run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import SessionDep, make_session_factory
from app.demo.loader import load_demo
from app.deps import Principal, get_principal
from app.main import create_app
from app.users.models import User
from tests import dbutil
from tests.conftest import make_settings


@dataclass
class DemoDb:
    url: str
    engine: Engine
    factory: sessionmaker[Session]
    client: TestClient


def client_as(url: str, factory: sessionmaker[Session], username: str) -> TestClient:
    """A client acting as `username` on its own (committed) database."""
    app = create_app(make_settings(url), session_factory=factory)
    with factory() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))

    def principal(session: SessionDep) -> Principal:
        return Principal(user=session.get_one(User, user_id), token=None)

    app.dependency_overrides[get_principal] = principal
    return TestClient(app)


@pytest.fixture(scope="session")
def demo_db() -> Iterator[DemoDb]:
    """A migrated database of its own holding the demo dataset, loaded once (read-only use)."""
    with dbutil.migrated_database("demo") as (url, engine):
        factory = make_session_factory(engine)
        with factory() as session:
            load_demo(session, fast_hash=True)
            session.commit()
        with client_as(url, factory, "demo_coord") as client:
            yield DemoDb(url, engine, factory, client)


@pytest.fixture
def stats(demo_db: DemoDb) -> Callable[..., dict]:
    """GET a statistics endpoint of the demo database as JSON (asserting 200)."""

    def _get(path: str, **params: object) -> dict:
        resp = demo_db.client.get(f"/api/v1/stats/{path}", params=params)
        assert resp.status_code == 200, resp.text
        return resp.json()

    return _get
