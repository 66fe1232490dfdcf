"""The request session: one per request, admitted by the worker's database slots."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import DB_SLOTS
from app.db.hooks import DEFER_LOCKS, require_commit_hooks


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    require_commit_hooks()
    return sessionmaker(bind=engine, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request: commits on success, rolls back on error.

    `async` because opening a session does no I/O (it connects on first use, in the
    endpoint's thread): a sync dependency would cost a thread-pool hop on the way in.
    The way out (COMMIT or ROLLBACK, then close) is one hop, shielded from cancellation so
    a client that hangs up can never leave a transaction (on SQLite: the write lock) open.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    async with _db_slots(request):
        session = factory()
        session.info["client"] = request.client.host if request.client else None
        session.info[DEFER_LOCKS] = True
        ok = False
        try:
            yield session
            ok = True
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_finish, session, ok)


_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _db_slots(request: Request) -> asyncio.Semaphore:
    # One semaphore per event loop (a served worker has one; tests start several).
    loop = asyncio.get_running_loop()
    slots = _SLOTS.get(loop)
    if slots is None:
        slots = _SLOTS[loop] = asyncio.Semaphore(DB_SLOTS)
    return slots


def _finish(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
