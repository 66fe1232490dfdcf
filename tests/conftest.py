"""Shared fixtures: a migrated database per run, a rolled-back transaction per test.

Tests that need real commits (threads, subprocesses, a browser) use `fresh_db` instead,
which gives them a database of their own.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from app.audit.service import append_pending
from app.config import Settings, new_key
from app.crypto import configure_keyring
from app.db import SessionDep, install_commit_hooks
from app.deps import Principal, get_principal
from app.main import create_app
from app.users.models import User
from tests import dbutil

# Sessions the tests open without an app write like the app's: data version, audit chain.
install_commit_hooks(append_pending)

TEST_DATA_KEY = base64.urlsafe_b64encode(b"k" * 32).decode().rstrip("=")
TEST_SECRET = base64.urlsafe_b64encode(b"s" * 32).decode().rstrip("=")
# Production refuses the two guessable keys above: settings built as production get keys
# made for this run (the suite's data key stays readable as an old key).
PRODUCTION_KEYS = {"secret_key": SecretStr(new_key()), "data_key": SecretStr(new_key())}


def pytest_report_header() -> str:
    return f"calp test database: {dbutil.BACKEND}"


def make_settings(database_url: str, **overrides: object) -> Settings:
    fields: dict[str, object] = {
        "env": "development",
        "database_url": database_url,
        "secret_key": SecretStr(TEST_SECRET),
        "data_key": SecretStr(TEST_DATA_KEY),
        "fast_password_hash": True,
    }
    if overrides.get("env") == "production":
        fields.update(PRODUCTION_KEYS, old_data_keys=SecretStr(TEST_DATA_KEY))
    fields.update(overrides)
    return Settings.model_validate(fields)


@pytest.fixture(scope="session", autouse=True)
def _keyring() -> None:
    configure_keyring(TEST_DATA_KEY)


@pytest.fixture(scope="session")
def database() -> Iterator[tuple[str, Engine]]:
    with dbutil.migrated_database("main") as pair:
        yield pair


@pytest.fixture(scope="session")
def engine(database: tuple[str, Engine]) -> Engine:
    return database[1]


@pytest.fixture(scope="session")
def database_url(database: tuple[str, Engine]) -> str:
    return database[0]


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()  # undo everything the test and the app did


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture(scope="session")
def _shared_app(database_url: str) -> FastAPI:
    # FastAPI builds every route's dependency graph on an app's first request (about a
    # second for ours), so the suite builds one app and hands each test its own session.
    return create_app(make_settings(database_url), session_factory=None)


def bind_app(app: FastAPI, settings: Settings, factory: sessionmaker[Session]) -> FastAPI:
    """Point a shared app at a test's settings and session; forget earlier tests' state."""
    app.state.settings = settings
    app.state.session_factory = factory
    app.state.stats_cache = None  # data versions repeat once a test's writes roll back
    app.dependency_overrides.clear()
    return app


@pytest.fixture
def app(
    _shared_app: FastAPI, settings: Settings, session_factory: sessionmaker[Session]
) -> Iterator[FastAPI]:
    yield bind_app(_shared_app, settings, session_factory)
    _shared_app.dependency_overrides.clear()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def login_as(app: FastAPI, client: TestClient) -> Iterator[Callable[[User], TestClient]]:
    """Act as `user` without a password round trip (reloaded in the request's session)."""

    def _login(user: User) -> TestClient:
        user_id = user.id

        def principal(session: SessionDep) -> Principal:
            return Principal(user=session.get_one(User, user_id), token=None)

        app.dependency_overrides[get_principal] = principal
        return client

    yield _login
    app.dependency_overrides.clear()


@pytest.fixture
def fresh_db() -> Iterator[tuple[str, Engine]]:
    """A database of the test's own, migrated, committed for real (threads, processes)."""
    with dbutil.migrated_database("fresh") as pair:
        yield pair


@pytest.fixture
def subprocess_env(tmp_path: object) -> Callable[[str], dict[str, str]]:
    """Environment for running `calp` in a subprocess against a given database."""

    def _env(database_url: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "CALP_ENV": "development",
                "CALP_DATABASE_URL": database_url,
                "CALP_SECRET_KEY": TEST_SECRET,
                "CALP_DATA_KEY": TEST_DATA_KEY,
                "CALP_FAST_PASSWORD_HASH": "true",
                "CALP_VAR_DIR": str(tmp_path),
            }
        )
        return env

    return _env
