"""Web sign-in state: the session cookie (idle timeout), CSRF tokens, the signed-in user.

The session cookie holds a short JWT of kind "session" (app.deps.get_principal reads it)
naming its session (`sid`). Activity re-issues it, same `sid`, once less than half its life
remains, so an idle browser is signed out after `session_idle_minutes`; signing out records
the `sid` as revoked, so a copy of the cookie taken before stops working at once.
CSRF is a signed double-submit: a random browser cookie plus, in every form, an HMAC of it
under the server secret; every POST must carry both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from app.config import Settings
from app.db import SessionDep
from app.deps import SESSION_COOKIE, CurrentUser, SettingsDep, get_principal
from app.errors import AppError, NotAllowed
from app.nul_guard import own_multipart
from app.users.models import User
from app.users.security import create_access_token, decode_access_token, new_session_id

CSRF_COOKIE = "calp_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class CsrfRefused(NotAllowed):
    code = "csrf_refused"


def _secure(request: Request, settings: Settings) -> bool:
    return settings.behind_https or request.url.scheme == "https"


def new_session_token(settings: Settings, user: User, session_id: str | None = None) -> str:
    """A session cookie's token: a new session, or the next renewal of `session_id`."""
    return create_access_token(
        settings.secret(),
        user.id,
        user.token_generation,
        minutes=settings.session_idle_minutes,
        kind="session",
        session_id=session_id or new_session_id(),
    )


def set_session_cookie(
    response: Response, request: Request, settings: Settings, token: str
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_idle_minutes * 60,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request, settings),
    )


def clear_session_cookie(response: Response, request: Request, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request, settings),
    )


def _seconds_left(settings: Settings, token: str) -> float | None:
    """Life left in a valid session token (its signature checked first)."""
    if decode_access_token(settings.secret(), token, kind="session") is None:
        return None
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"]) - time.time()
    except (IndexError, KeyError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class UserView:
    """What page layouts show of the signed-in person: plain values, safe to render after
    the request's database session has ended (error pages)."""

    id: uuid.UUID
    username: str
    full_name: str
    role: str
    teams: tuple[str, ...]
    otp_enrolled: bool


def remember_user(request: Request, user: User | None) -> None:
    request.state.user = (
        None
        if user is None
        else UserView(
            user.id,
            user.username,
            user.full_name,
            user.role.value,
            tuple(t.value for t in user.teams),
            user.otp_enrolled,
        )
    )


class PasswordChangeRequired(AppError, status=403, kind="password_change_required"):
    """A temporary password (set by an admin) not yet replaced: every page but the one
    that replaces it, the keep-alive and sign-out leads there (app.web.errors)."""

    code = "password_change_required"


FIRST_PASSWORD_PATH = "/cuenta/clave-inicial"
_BEFORE_FIRST_PASSWORD = frozenset({FIRST_PASSWORD_PATH, "/salir", "/sesion/activa", "/login"})


def web_user(request: Request, user: CurrentUser, settings: SettingsDep) -> User:
    """The signed-in staff user of an HTML page; marks the cookie for renewal when due."""
    if user.must_change_password and request.url.path not in _BEFORE_FIRST_PASSWORD:
        raise PasswordChangeRequired()
    remember_user(request, user)
    cookie = request.cookies.get(SESSION_COOKIE)
    # Only a request signed in by this cookie renews it, under the same session id, so
    # signing that session out also ends every renewal of it.
    session_id = getattr(request.state, "session_id", None)
    if cookie and session_id:
        left = _seconds_left(settings, cookie)
        if left is not None and left < settings.session_idle_minutes * 30:
            request.state.new_session = new_session_token(settings, user, session_id)
    return user


WebUser = Annotated[User, Depends(web_user)]


def optional_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    """The signed-in user, or None (for `/` and the sign-in page)."""
    override = request.app.dependency_overrides.get(get_principal)
    try:
        if override is not None:  # tests acting as a user without a cookie
            principal = override(session)
        else:
            principal = get_principal(request, session, settings)
    except AppError:
        return None
    if principal.user is not None:
        return web_user(request, principal.user, settings)
    return None


OptionalUser = Annotated[User | None, Depends(optional_user)]


def _csrf_sign(settings: Settings, raw: str) -> bytes:
    key = hashlib.sha256(b"calp-csrf:" + settings.secret().encode()).digest()
    return hmac.new(key, raw.encode(), hashlib.sha256).digest()


def _mask(signed: bytes) -> str:
    """The signed token XOR a new random pad, pad first: every response carries different
    bytes, so a compressed page (gzip) never repeats a secret an attacker could guess at
    by the size of responses (BREACH)."""
    pad = secrets.token_bytes(len(signed))
    masked = bytes(a ^ b for a, b in zip(pad, signed, strict=True))
    return base64.urlsafe_b64encode(pad + masked).decode().rstrip("=")


def _unmask(token: str) -> bytes | None:
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return None
    if len(data) != 64:
        return None
    return bytes(a ^ b for a, b in zip(data[:32], data[32:], strict=True))


def csrf_token(request: Request) -> str:
    """The token forms must carry (masked anew each time); creates the browser's CSRF
    cookie on first use."""
    settings: Settings = request.app.state.settings
    raw = getattr(request.state, "csrf_raw", None) or request.cookies.get(CSRF_COOKIE)
    if not raw or len(raw) > 128:
        raw = secrets.token_urlsafe(32)
        request.state.csrf_raw = raw
        request.state.set_csrf_cookie = True
    return _mask(_csrf_sign(settings, raw))


def csrf_field(request: Request) -> Markup:
    """The hidden input every form carries (a template global: see app.web.respond)."""
    token = escape(csrf_token(request))
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">')


def rotate_csrf(request: Request) -> None:
    """A new CSRF secret at sign-in and sign-out (tokens of the old one stop working)."""
    request.state.csrf_raw = secrets.token_urlsafe(32)
    request.state.set_csrf_cookie = True


async def csrf_protect(request: Request) -> None:
    """Router-wide: every state-changing request must carry a valid CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent and own_multipart(request):
        return  # it checks the form's token itself before keeping a byte (no spooled file)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    check_csrf(request, sent)


def check_csrf(request: Request, sent: str | None) -> None:
    """403 unless `sent` is the token of this browser's CSRF cookie."""
    raw = request.cookies.get(CSRF_COOKIE)
    settings: Settings = request.app.state.settings
    unmasked = _unmask(sent) if sent and len(sent) <= 128 else None
    if not raw or unmasked is None or not hmac.compare_digest(unmasked, _csrf_sign(settings, raw)):
        raise CsrfRefused()


def apply_cookies(request: Request, response: Response) -> Response:
    """Write the cookies this request decided on (renewed session, new CSRF secret)."""
    settings: Settings = request.app.state.settings
    new_session = getattr(request.state, "new_session", None)
    if new_session == "":
        clear_session_cookie(response, request, settings)
    elif new_session:
        set_session_cookie(response, request, settings, new_session)
    if getattr(request.state, "set_csrf_cookie", False):
        response.set_cookie(
            CSRF_COOKIE,
            request.state.csrf_raw,
            path="/",
            httponly=True,
            samesite="strict",
            secure=_secure(request, settings),
        )
    return response


def sign_in(request: Request, settings: Settings, user: User) -> None:
    request.state.new_session = new_session_token(settings, user)
    rotate_csrf(request)


def sign_out(request: Request) -> None:
    request.state.new_session = ""
    rotate_csrf(request)
