"""Who is calling: the principal behind a bearer token or session cookie, and role gates."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogs import Role
from app.config import Settings
from app.db import SessionDep, utcnow
from app.errors import NotAllowed, NotAuthenticated, OtpRequired
from app.tokens.models import ApiToken
from app.users.models import RevokedSession, User
from app.users.security import TokenClaims, decode_access_token

API_TOKEN_PREFIX = "calp_vis_"
SESSION_COOKIE = "calp_session"
TOKEN_USE_RESOLUTION = timedelta(minutes=5)
# Endpoints an admin or coordinator may still use before enrolling two-factor in production.
OTP_EXEMPT_PATHS = frozenset(
    {
        "/api/v1/auth/me",
        "/api/v1/auth/otp/enrol",
        "/api/v1/auth/otp/confirm",
        "/api/v1/auth/password",
        "/cuenta/2fa",
        "/salir",
    }
)


async def get_settings_dep(request: Request) -> Settings:
    # Pure dependencies are `async def`: FastAPI runs sync ones in the thread pool, one
    # hop each, which costs more than the function itself on every request.
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


@dataclass(frozen=True)
class Principal:
    """The caller: a staff user, or a program holding an API token (the visualiser)."""

    user: User | None
    token: ApiToken | None

    @property
    def role(self) -> Role:
        if self.user is not None:
            return self.user.role
        assert self.token is not None
        return self.token.role


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def get_principal(request: Request, session: SessionDep, settings: SettingsDep) -> Principal:
    """Resolve the bearer token (API) or the session cookie (web); 401 otherwise."""
    bearer = _bearer(request)
    if bearer and bearer.startswith(API_TOKEN_PREFIX):
        token = session.scalar(
            select(ApiToken).where(
                ApiToken.token_hash == hash_api_token(bearer), ApiToken.revoked_at.is_(None)
            )
        )
        if token is None:
            raise NotAuthenticated("token_invalid")
        # A visualiser polls read-only endpoints: record use at most every few minutes, not
        # a write on every request.
        now = utcnow()
        if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
            token.last_used_at = now
        return Principal(user=None, token=token)
    if bearer:
        claims = decode_access_token(settings.secret(), bearer, kind="access")
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        claims = decode_access_token(settings.secret(), cookie, kind="session") if cookie else None
    if claims is None:
        raise NotAuthenticated()
    user = _load_user(session, claims)
    if user is None or not user.active or user.token_generation != claims.generation:
        raise NotAuthenticated()
    _enforce_two_factor(request, settings, user)
    request.state.user = user
    request.state.session_id = claims.session_id  # kept by the cookie's renewal
    session.info["actor"] = user  # named by the audit event of a value failing to verify
    return Principal(user=user, token=None)


def _load_user(session: Session, claims: TokenClaims) -> User | None:
    """The token's user; for a session cookie, only while that session is not signed out.

    The revocation check is a primary-key lookup folded into the query that loads the
    user, so it costs no extra round trip on a request.
    """
    stmt = select(User).where(User.id == claims.user_id)
    if claims.session_id is not None:
        stmt = stmt.where(
            ~select(RevokedSession.sid).where(RevokedSession.sid == claims.session_id).exists()
        )
    return session.scalars(stmt).one_or_none()


def _enforce_two_factor(request: Request, settings: Settings, user: User) -> None:
    if (
        settings.is_production
        and user.role in (Role.admin, Role.coordinator)
        and not user.otp_enrolled
        and request.url.path not in OTP_EXEMPT_PATHS
    ):
        raise OtpRequired("otp_enrolment_required")


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_current_user(principal: CurrentPrincipal) -> User:
    """A staff user; API tokens may not use staff endpoints."""
    if principal.user is None:
        raise NotAllowed("staff_only")
    return principal.user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: Role) -> Callable[[User], Coroutine[Any, Any, User]]:
    """Dependency: the caller's role must be one of `roles` (403 otherwise)."""
    allowed = frozenset(roles)

    async def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise NotAllowed("role_not_allowed")
        return user

    return check
