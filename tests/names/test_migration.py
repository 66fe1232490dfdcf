"""The migration of name_tokens builds the tokens of the victims already there when the
data key is configured, and leaves them for `calp reindex-names` when it is not.

Its backfill step runs here on a database at head whose victims have no tokens yet (as
after the table was created): downgrading through the later revisions would test theirs."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Engine, func, select

import app.crypto
from app.db import make_session_factory
from app.names.models import NameToken
from app.names.service import NameQuery, search
from tests import dbutil
from tests.security.builders import VICTIM_NAME, seed

MIGRATION = "2026_12_03_1330-f1b8e2d4c603_name_tokens.py"


def _migration() -> ModuleType:
    path = dbutil.REPO_ROOT / "migrations" / "versions" / MIGRATION
    spec = importlib.util.spec_from_file_location("name_tokens_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _backfill(engine: Engine) -> None:
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        _migration()._backfill()


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(NameToken)) or 0


def test_upgrade_backfills_existing_victims(fresh_db: tuple[str, Engine]) -> None:
    _, engine = fresh_db
    seeded = seed(engine)  # two victims with names, written without tokens
    assert _count(engine) == 0
    _backfill(engine)
    with make_session_factory(engine)() as s:
        ids = {m.victim_id for m in search(s, NameQuery(VICTIM_NAME), None)}
    assert ids == {seeded.open_victim_id, seeded.closed_victim_id}


def test_upgrade_without_a_key_leaves_the_table_empty(
    fresh_db: tuple[str, Engine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, engine = fresh_db
    seed(engine)
    monkeypatch.setattr(app.crypto, "_keyring", None)
    monkeypatch.delenv("CALP_DATA_KEY", raising=False)
    _backfill(engine)
    assert _count(engine) == 0
    assert "calp reindex-names" in capsys.readouterr().err
