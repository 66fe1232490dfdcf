"""Visualiser API tokens: created by an admin, stored as a hash, revocable."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.catalogs import Role
from app.db import utcnow
from app.deps import API_TOKEN_PREFIX, hash_api_token
from app.errors import NotFound
from app.pagination import decode_dated_cursor, encode_cursor
from app.tokens.models import ApiToken
from app.tokens.schemas import TokenCreate
from app.users.models import User

RECORD_TYPE = "api_token"


def new_token_value() -> str:
    """A fresh bearer token: the prefix (how get_principal tells it apart) + 256 random bits."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(
    session: Session, data: TokenCreate, *, actor: User | None, via: str = "api"
) -> tuple[ApiToken, str]:
    """Store a new token's hash; return the row and the token (the only time it exists)."""
    raw = new_token_value()
    token = ApiToken(
        name=data.name,
        role=Role(data.role),
        token_hash=hash_api_token(raw),
        created_by_id=actor.id if actor else None,
    )
    session.add(token)
    session.flush()
    record_event(
        session,
        AuditAction.create,
        actor=actor,
        record_type=RECORD_TYPE,
        record_id=token.id,
        fields=["name", "role"],
        detail=via,
        username=None if actor else "calp-cli",
    )
    return token, raw


def list_tokens(
    session: Session, *, limit: int, cursor: str | None = None
) -> tuple[list[ApiToken], str | None]:
    """Tokens newest first, one page; revoked ones included (marked by `revoked_at`)."""
    stmt = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if cursor is not None:
        at, last_id = decode_dated_cursor(cursor, datetime.fromisoformat)
        stmt = stmt.where(
            or_(ApiToken.created_at < at, and_(ApiToken.created_at == at, ApiToken.id < last_id))
        )
    rows = list(session.scalars(stmt.limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].created_at.isoformat(), rows[-1].id)


def revoke_token(session: Session, token_id: uuid.UUID, *, actor: User) -> ApiToken:
    """Revoke a token at once (idempotent: revoking again keeps the first date)."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("token_not_found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        record_event(
            session,
            AuditAction.delete,
            actor=actor,
            record_type=RECORD_TYPE,
            record_id=token.id,
            fields=["revoked_at"],
            detail="revoke",
        )
    return token
