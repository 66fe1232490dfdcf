"""The database foundation: no import of a domain, hooks installed explicitly and once."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.audit.service import append_pending
from app.db import DEFER_LOCKS, install_commit_hooks, note_data_write

ROOT = Path(__file__).resolve().parent.parent
# What the foundation may build on: itself and the modules below every domain.
FOUNDATION = {"app.db", "app.crypto", "app.errors"}


def test_app_db_imports_no_domain():
    imported = set()
    for path in (ROOT / "app" / "db").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name) for alias in node.names)
    outside = sorted(
        (name, module)
        for name, module in imported
        if module.startswith("app.")
        and module.split(".")[:2] != ["app", "db"]
        and module not in FOUNDATION
    )
    assert outside == []


def test_sessions_are_refused_until_the_hooks_are_installed():
    code = (
        "from app.db import make_engine, make_session_factory\n"
        "try:\n"
        "    make_session_factory(make_engine('sqlite://'))\n"
        "except RuntimeError as exc:\n"
        "    print('refused:', exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("refused: commit hooks not installed")


def test_installing_twice_chains_once_per_commit(session_factory: sessionmaker[Session]):
    calls: list[bool] = []

    def counting(session: Session, *, bump_data_version: bool = False) -> None:
        calls.append(bump_data_version)
        append_pending(session, bump_data_version=bump_data_version)

    try:
        install_commit_hooks(counting)
        install_commit_hooks(counting)
        with session_factory() as session:
            session.info[DEFER_LOCKS] = True
            before = session.scalar(text("SELECT version FROM data_versions WHERE id = 1"))
            session.commit()  # no data written: chained, not bumped
            note_data_write(session)  # a data write: bumped once, at COMMIT
            session.commit()
            after = session.scalar(text("SELECT version FROM data_versions WHERE id = 1"))
    finally:
        install_commit_hooks(append_pending)
    assert calls == [False, True]
    assert after == before + 1
