"""Session hooks: every data write bumps `data_versions.version`, and request sessions chain
their audit events at COMMIT.

The hooks are installed by whoever opens sessions that write (`create_app`, the CLI, the
tests) with `install_commit_hooks(append_chain)`: the foundation knows nothing of the audit
domain, it is handed the function that chains the queued events.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.db.base import NotData

# Session.info flag: take the serialising locks (data version row, audit chain) at COMMIT.
DEFER_LOCKS = "defer_locks"

BUMP_DATA_VERSION = "UPDATE data_versions SET version = version + 1 WHERE id = 1"


class ChainAppender(Protocol):
    """Chains and inserts the session's queued audit events, under the chain's lock; with
    `bump_data_version`, runs BUMP_DATA_VERSION first (same lock section, one round trip)."""

    def __call__(self, session: Session, *, bump_data_version: bool = False) -> None: ...


_append_chain: ChainAppender | None = None


def install_commit_hooks(append_chain: ChainAppender) -> None:
    """Listen on every Session (idempotent: installing again only replaces the appender)."""
    global _append_chain
    _append_chain = append_chain
    if not event.contains(Session, "before_flush", _mark_data_write):
        event.listen(Session, "before_flush", _mark_data_write)
        event.listen(Session, "before_commit", _bump_data_version)
        for name in ("after_commit", "after_rollback", "after_soft_rollback"):
            event.listen(Session, name, _reset_bump)


def hooks_installed() -> bool:
    return _append_chain is not None


def require_commit_hooks() -> None:
    """Refuse to hand out sessions whose writes would skip the data version or the chain."""
    if _append_chain is None:
        raise RuntimeError(
            "commit hooks not installed: call app.db.install_commit_hooks(append_pending) "
            "(app.audit.service) before opening sessions"
        )


def current_data_version(session: Session) -> int:
    return int(session.scalar(text("SELECT version FROM data_versions WHERE id = 1")) or 0)


def note_data_write(session: Session) -> None:
    """This transaction changes data: bump the data version (the statistics cache's key) once.

    Called by the flush hook, and by code writing through Core, which skips that hook.
    Request sessions (DEFER_LOCKS) only note it; the UPDATE runs just before COMMIT (below),
    so the row lock on data_versions, which every writer needs, is held for the commit, not
    for the rest of the request. Other sessions may be committed by an outer connection, so
    they bump at once.
    """
    if session.info.get("data_version_bumped"):
        return
    session.info["data_version_bumped"] = True
    if not session.info.get(DEFER_LOCKS):
        session.execute(text(BUMP_DATA_VERSION))
        session.info["data_version_done"] = True


def _mark_data_write(session: Session, flush_context: Any, instances: Any) -> None:
    if session.info.get("data_version_bumped"):
        return
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(not isinstance(obj, NotData) for obj in changed):
        note_data_write(session)


def _bump_data_version(session: Session) -> None:
    if not session.info.get(DEFER_LOCKS):
        return
    session.flush()  # objects added since the last flush are data writes too
    assert _append_chain is not None  # set before the listeners are
    bump = bool(
        session.info.get("data_version_bumped") and not session.info.get("data_version_done")
    )
    _append_chain(session, bump_data_version=bump)  # the chain, under its lock, last
    if bump:
        session.info["data_version_done"] = True


def _reset_bump(session: Session, *args: Any) -> None:
    session.info.pop("data_version_bumped", None)
    session.info.pop("data_version_done", None)
    session.info.pop("audit_pending", None)
