"""Password hashing (passlib, argon2) and access tokens (JWT, python-jose)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from jose import JWTError, jwt
from passlib.context import CryptContext

from app.db import utcnow

ALGORITHM = "HS256"


@lru_cache
def _context(fast: bool) -> CryptContext:
    if fast:
        # Test suite only: the same scheme with minimal cost, so thousands of logins stay fast.
        return CryptContext(
            schemes=["argon2"], argon2__memory_cost=1024, argon2__rounds=1, argon2__parallelism=1
        )
    return CryptContext(schemes=["argon2"])


def hash_password(password: str, *, fast: bool = False) -> str:
    return _context(fast).hash(password)


def verify_password(password: str, hashed: str, *, fast: bool = False) -> bool:
    try:
        return _context(fast).verify(password, hashed)
    except (ValueError, TypeError):
        return False


# A hash to verify against when the username does not exist, so timing does not reveal it.
@lru_cache
def dummy_hash(fast: bool) -> str:
    return hash_password("not-a-real-password", fast=fast)


SESSION_ID_MAX = 32


def new_session_id() -> str:
    """A browser session's id: random, kept by every renewal of its cookie (`sid` claim)."""
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class TokenClaims:
    user_id: uuid.UUID
    generation: int
    kind: str
    session_id: str | None = None


def create_access_token(
    secret: str,
    user_id: uuid.UUID,
    generation: int,
    *,
    minutes: int,
    kind: str = "access",
    session_id: str | None = None,
) -> str:
    now = utcnow()
    claims: dict[str, str | int] = {
        "sub": str(user_id),
        "gen": generation,
        "typ": kind,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes)).timestamp()),
    }
    if session_id is not None:
        claims["sid"] = session_id
    return str(jwt.encode(claims, secret, algorithm=ALGORITHM))


def decode_access_token(secret: str, token: str, *, kind: str = "access") -> TokenClaims | None:
    """Claims of a valid, unexpired token of that kind; None for anything else.

    A session token must name its session (`sid`): one without could not be signed out.
    """
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM])
        if claims.get("typ") != kind:
            return None
        sid = claims.get("sid")
        if kind == "session" and not (isinstance(sid, str) and 0 < len(sid) <= SESSION_ID_MAX):
            return None
        return TokenClaims(
            uuid.UUID(str(claims["sub"])),
            int(claims["gen"]),
            kind,
            sid if kind == "session" else None,
        )
    except (JWTError, KeyError, ValueError, TypeError):
        return None
