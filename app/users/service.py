"""Accounts: creation, sign-in with throttling and lockout, two-factor, administration."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.catalogs import Role, Team
from app.config import Settings
from app.db import utcnow
from app.errors import (
    AccountLocked,
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    OtpRequired,
    RateLimited,
    StaleVersion,
)
from app.users.models import LoginAttempt, RevokedSession, User, UserTeam
from app.users.schemas import UserCreate, UserUpdate
from app.users.security import dummy_hash, hash_password, verify_password


class UserNotFound(NotFound):
    code = "user_not_found"


class UsernameTaken(Conflict):
    code = "username_taken"


def create_user(
    session: Session,
    data: UserCreate,
    *,
    settings: Settings,
    actor: User | None,
    temporary_password: bool = False,
) -> User:
    """Create a staff account (admin, or `calp create-user`).

    `temporary_password`: the admin chose it (UI, API), so the person must replace it at
    the first web sign-in; `calp create-user --password-stdin` sets the person's own one.
    """
    if session.scalar(select(User.id).where(User.username == data.username)):
        raise UsernameTaken()
    _check_teams(data.role, data.teams)
    user = User(
        username=data.username,
        full_name=data.full_name,
        role=data.role,
        password_hash=hash_password(data.password, fast=settings.fast_password_hash),
        must_change_password=temporary_password,
        team_links=[UserTeam(team=t) for t in data.teams],
    )
    session.add(user)
    session.flush()
    record_event(
        session,
        AuditAction.create,
        actor=actor,
        record_type="user",
        record_id=user.id,
        fields=["username", "role", "teams"],
    )
    return user


def _check_teams(role: Role, teams: list[Team]) -> None:
    if role in (Role.psychologist, Role.lawyer, Role.social_worker, Role.coordinator) and not teams:
        raise InvalidInput("teams", "team_required")


def get_user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound()
    return user


def list_users(session: Session, *, limit: int, after: str | None) -> list[User]:
    stmt = select(User).order_by(User.username).limit(limit + 1)
    if after:
        stmt = stmt.where(User.username > after)
    return list(session.scalars(stmt))


def update_user(
    session: Session, user: User, data: UserUpdate, *, settings: Settings, actor: User
) -> User:
    """Change role, teams, name, password or active flag; disabling ends every session."""
    if data.version != user.version:
        raise StaleVersion()
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "full_name" in changes and data.full_name is not None:
        user.full_name = data.full_name
    if data.role is not None:
        user.role = data.role
    if data.teams is not None:
        user.team_links = [UserTeam(team=t) for t in dict.fromkeys(data.teams)]
    _check_teams(user.role, user.teams if data.teams is None else data.teams)
    if data.password is not None:
        user.password_hash = hash_password(data.password, fast=settings.fast_password_hash)
        user.token_generation += 1
        # A password someone else set is as temporary as a new account's.
        user.must_change_password = actor.id != user.id
    if data.active is not None and data.active != user.active:
        user.active = data.active
        # Bumping the generation invalidates every token and session already issued.
        user.token_generation += 1
    if data.otp_reset:
        # A lost authenticator: the person enrols again at the next sign-in.
        user.otp_secret = None
        user.otp_enrolled = False
        user.otp_last_step = None
        user.token_generation += 1
    _audit_account(session, user, AuditAction.update, fields=changes.keys(), actor=actor)
    return user


def _audit_account(
    session: Session,
    user: User,
    action: AuditAction,
    *,
    actor: User,
    fields: Iterable[str] | None = None,
    detail: str | None = None,
) -> None:
    """Write the account's change, then audit it (which fields, never their values)."""
    session.flush()
    record_event(
        session,
        action,
        actor=actor,
        record_type="user",
        record_id=user.id,
        fields=fields,
        detail=detail,
    )


def unlock_user(session: Session, user: User, *, actor: User) -> User:
    user.locked_at = None
    session.add(LoginAttempt(at=utcnow(), username=user.username, client="unlock", success=True))
    _audit_account(
        session, user, AuditAction.update, fields=["locked"], actor=actor, detail="unlock"
    )
    return user


def _recent_failures(
    session: Session, column: InstrumentedAttribute[str], value: str, since: datetime
) -> tuple[int, datetime | None]:
    """How many failures since `since` for this account or address, and the oldest one."""
    count, oldest = session.execute(
        select(func.count(), func.min(LoginAttempt.at)).where(
            column == value, LoginAttempt.success.is_(False), LoginAttempt.at >= since
        )
    ).one()
    if oldest is not None and oldest.tzinfo is None:  # SQLite: naive UTC
        oldest = oldest.replace(tzinfo=UTC)
    return int(count or 0), oldest


def _failures_since_success(session: Session, username: str) -> int:
    last_ok = session.scalar(
        select(func.max(LoginAttempt.id)).where(
            LoginAttempt.username == username, LoginAttempt.success.is_(True)
        )
    )
    stmt = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.username == username, LoginAttempt.success.is_(False))
    )
    if last_ok is not None:
        stmt = stmt.where(LoginAttempt.id > last_ok)
    return int(session.scalar(stmt) or 0)


def _check_throttle(session: Session, username: str, client: str, settings: Settings) -> None:
    """429 while the account or the address has too many recent failures."""
    now = utcnow()
    window = settings.throttle_window_seconds
    for column, value in ((LoginAttempt.username, username), (LoginAttempt.client, client)):
        count, oldest = _recent_failures(session, column, value, now - timedelta(seconds=window))
        if count >= settings.throttle_failures:
            # Retry-After: when the oldest counted failure leaves the window (an upper bound
            # on the wait; the attempt itself is not recorded, so waiting does end it).
            left = window - int((now - oldest).total_seconds()) if oldest else window
            raise RateLimited(max(1, min(window, left)))


def _accept_otp(user: User, otp: str | None) -> bool:
    """Check a TOTP code (one step of clock drift either way) and consume its time step.

    A code whose step is not after the last accepted one is refused: each code works once.
    """
    if not otp or not user.otp_secret:
        return False
    totp = pyotp.TOTP(user.otp_secret)
    current = totp.timecode(utcnow())
    last = user.otp_last_step
    for step in (current - 1, current, current + 1):
        if (last is None or step > last) and pyotp.utils.strings_equal(
            str(otp), totp.generate_otp(step)
        ):
            user.otp_last_step = step
            return True
    return False


def authenticate(
    session: Session,
    username: str,
    password: str,
    otp: str | None,
    *,
    client: str,
    settings: Settings,
) -> User:
    """Check credentials; throttling first (429), then lockout (423), then password and OTP.

    Raises after recording the failure; the caller must commit even on failure so the
    attempt is counted (see the auth router).
    """
    _check_throttle(session, username, client, settings)
    user = session.scalar(select(User).where(User.username == username))
    if user is not None and user.locked_at is not None:
        raise AccountLocked()
    fast = settings.fast_password_hash
    ok = verify_password(password, user.password_hash if user else dummy_hash(fast), fast=fast)
    if user is None or not ok or not user.active:
        _fail(session, username, client, user, settings)
        raise NotAuthenticated("credentials_invalid")
    if user.otp_enrolled and not _accept_otp(user, otp):
        _fail(session, username, client, user, settings)
        raise OtpRequired()
    session.add(LoginAttempt(at=utcnow(), username=username, client=client, success=True))
    purge_revoked_sessions(session)
    record_event(session, AuditAction.login, actor=user, record_type="user", record_id=user.id)
    return user


REVOCATION_MARGIN = timedelta(minutes=5)


def purge_revoked_sessions(session: Session) -> None:
    """Forget revoked sessions whose every cookie has expired anyway (run at each sign-in)."""
    session.execute(delete(RevokedSession).where(RevokedSession.expires_at < utcnow()))


def end_session(session: Session, user: User, session_id: str, *, settings: Settings) -> None:
    """Sign one browser session out: its cookie, and any copy of it, is refused from now on.

    Its cookies were issued by now (or by a request already under way, hence the margin),
    so none outlives the row's `expires_at`.
    """
    now = utcnow()
    lifetime = timedelta(minutes=settings.session_idle_minutes) + REVOCATION_MARGIN
    row = {"sid": session_id, "user_id": user.id, "revoked_at": now, "expires_at": now + lifetime}
    # Two sign-outs of one session at the same moment must not collide on the key.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(RevokedSession).values(row).on_conflict_do_nothing())
    _audit_account(session, user, AuditAction.logout, actor=user, detail="session")


def end_all_sessions(session: Session, user: User, *, actor: User) -> None:
    """End every session and bearer token of `user` (they all carry its token generation)."""
    user.token_generation += 1
    _audit_account(session, user, AuditAction.logout, actor=actor, detail="all_sessions")


def _fail(
    session: Session, username: str, client: str, user: User | None, settings: Settings
) -> None:
    session.add(LoginAttempt(at=utcnow(), username=username, client=client, success=False))
    session.flush()
    if user is not None and _failures_since_success(session, username) >= settings.lockout_failures:
        user.locked_at = utcnow()
    record_event(
        session,
        AuditAction.login_failed,
        actor=None,
        username=username[:64],
        record_type="user",
        record_id=user.id if user else None,
    )


def change_password(
    session: Session,
    user: User,
    current: str,
    new: str,
    *,
    settings: Settings,
    client: str | None = None,
) -> None:
    """Change one's own password; a wrong current password counts as a failed sign-in.

    Throttled and locked like sign-in (429, 423), so a stolen token cannot be used to guess
    the password. Raises after recording the failure; the caller must commit even on failure.
    Without `client` (an address) only the per-account limit applies.
    """
    client = client or "account"
    _check_throttle(session, user.username, client, settings)
    if user.locked_at is not None:
        raise AccountLocked()
    fast = settings.fast_password_hash
    if not verify_password(current, user.password_hash, fast=fast):
        _fail(session, user.username, client, user, settings)
        raise NotAuthenticated("password_incorrect")
    user.password_hash = hash_password(new, fast=fast)
    user.token_generation += 1
    user.must_change_password = False
    _audit_account(session, user, AuditAction.update, fields=["password"], actor=user)


class OtpAlreadyEnrolled(Conflict):
    code = "otp_already_enrolled"


def start_otp_enrolment(session: Session, user: User) -> tuple[str, str]:
    """A new TOTP secret to confirm; refused once enrolled, so a stolen token cannot
    switch two-factor off by starting over (an admin resets it instead)."""
    if user.otp_enrolled:
        raise OtpAlreadyEnrolled()
    secret = pyotp.random_base32()
    user.otp_secret = secret
    user.otp_enrolled = False
    user.otp_last_step = None  # steps of an earlier secret mean nothing for this one
    session.flush()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="CALP")
    return secret, uri


def confirm_otp(session: Session, user: User, otp: str) -> None:
    if not _accept_otp(user, otp):
        raise InvalidInput("otp", "otp_code_invalid")
    user.otp_enrolled = True
    _audit_account(session, user, AuditAction.update, fields=["otp_enrolled"], actor=user)
