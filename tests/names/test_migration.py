"""The migrations of name_tokens build the tokens of the victims already there when the
data key is configured, and leave them for `calp reindex-names` when it is not: the first
(f1b8e2d4c603) creates them, the second (c6c3b7a9fc08) rebuilds them with pair tokens.

Its backfill step runs here on a database at head whose victims have no tokens yet (as
after the table was created): downgrading through the later revisions would test theirs."""

from __future__ import annotations

import importlib.util
import uuid
from types import ModuleType

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Engine, delete, func, select

import app.crypto
from app.db import make_session_factory
from app.names.models import NameToken
from app.names.service import NameQuery, search
from app.names.tokens import PAIR
from tests import dbutil
from tests.security.builders import VICTIM_NAME, seed

MIGRATION = "2026_12_03_1330-f1b8e2d4c603_name_tokens.py"
PAIRS_MIGRATION = "2026_12_04_1900-c6c3b7a9fc08_name_pairs.py"


def _migration(name: str = MIGRATION) -> ModuleType:
    path = dbutil.REPO_ROOT / "migrations" / "versions" / name
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), path)
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
    assert _two_word_search(engine) == {seeded.open_victim_id, seeded.closed_victim_id}


def test_upgrade_without_a_key_leaves_the_table_empty(
    fresh_db: tuple[str, Engine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, engine = fresh_db
    seed(engine)
    _without_key(monkeypatch)
    _backfill(engine)
    assert _count(engine) == 0
    assert "calp reindex-names" in capsys.readouterr().err


def _without_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a bare `alembic upgrade` runs when no data key is configured."""
    monkeypatch.setattr(app.crypto, "_keyring", None)
    monkeypatch.delenv("CALP_DATA_KEY", raising=False)


def _two_word_search(engine: Engine) -> set[uuid.UUID]:
    with make_session_factory(engine)() as s:
        return {m.victim_id for m in search(s, NameQuery(VICTIM_NAME), None)}


def _word_tokens_only(engine: Engine) -> None:
    """The state before c6c3b7a9fc08: word tokens, no pair token."""
    _backfill(engine)
    with engine.begin() as conn:
        conn.execute(delete(NameToken).where(NameToken.kind == PAIR))


def _pairs(engine: Engine, step: str) -> None:
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        getattr(_migration(PAIRS_MIGRATION), step)()


def test_pairs_upgrade_rebuilds_the_tokens_with_pairs(fresh_db: tuple[str, Engine]) -> None:
    _, engine = fresh_db
    seeded = seed(engine)
    _word_tokens_only(engine)
    words = _count(engine)
    assert _two_word_search(engine) == set()  # two words are looked up as a pair
    _pairs(engine, "upgrade")
    with engine.connect() as conn:
        kinds = list(conn.scalars(select(NameToken.kind)))
    assert kinds.count(PAIR) == 2 and len(kinds) == words + 2  # one pair per victim
    assert _two_word_search(engine) == {seeded.open_victim_id, seeded.closed_victim_id}
    _pairs(engine, "downgrade")
    assert _count(engine) == words


def test_pairs_upgrade_without_a_key_says_to_reindex(
    fresh_db: tuple[str, Engine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, engine = fresh_db
    seed(engine)
    _word_tokens_only(engine)
    words = _count(engine)
    _without_key(monkeypatch)
    _pairs(engine, "upgrade")
    assert _count(engine) == words
    assert "calp reindex-names" in capsys.readouterr().err
