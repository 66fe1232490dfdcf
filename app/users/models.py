"""Staff accounts, their teams, and sign-in bookkeeping."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalogs import Role, Team
from app.db import (
    Base,
    NotData,
    Sealed,
    SealedRow,
    TimestampMixin,
    UTCDateTime,
    UUIDPk,
    VersionedMixin,
    str_enum,
)


class User(UUIDPk, TimestampMixin, VersionedMixin, SealedRow, Base):
    """A staff account with one role and one or more teams.

    Invariants: `username` is unique; `token_generation` is bumped whenever every issued
    token and session must die (disabled account, changed password); `otp_secret` is
    encrypted like any other secret; `otp_last_step` only grows while the secret stays.
    """

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    token_generation: Mapped[int] = mapped_column(Integer, default=0)
    # Deferred: loaded (and decrypted) only where a code is checked, not on every request
    # that resolves the caller, so the secret is not in memory for the rest of the work.
    otp_secret = Sealed(deferred=True)
    otp_enrolled: Mapped[bool] = mapped_column(Boolean, default=False)
    # The TOTP time step of the last accepted code: a code for this step or an earlier one
    # is refused, so a code seen once (shoulder, proxy log) cannot be replayed in its window.
    otp_last_step: Mapped[int | None] = mapped_column(Integer)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A temporary password an admin set (UI or API): the first web sign-in must replace it.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    team_links: Mapped[list[UserTeam]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def teams(self) -> list[Team]:
        return sorted((link.team for link in self.team_links), key=list(Team).index)


class UserTeam(Base):
    """Membership of a user in a regional team (the unit of data scope)."""

    __tablename__ = "user_teams"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    team: Mapped[Team] = mapped_column(str_enum(Team, "team"), primary_key=True)
    user: Mapped[User] = relationship(back_populates="team_links", lazy="raise")


class LoginAttempt(NotData, Base):
    """One sign-in attempt; throttling counts recent failures per account and per address.

    Kept in the database (not process memory) so the limits hold across server workers.
    """

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class RevokedSession(NotData, Base):
    """A browser session signed out before its cookie expired: refused from then on.

    Every cookie-authenticated request looks its `sid` up here (by primary key, in the
    query that loads the user). A row is needed only while a cookie of that session could
    still be valid, so `expires_at` is the latest such expiry and sign-in deletes rows past it.
    """

    __tablename__ = "revoked_sessions"

    sid: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
