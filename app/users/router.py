"""Auth (token, me, password, two-factor) and user administration (admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, status

from app.catalogs import Role
from app.db import SessionDep
from app.deps import CurrentUser, SettingsDep, require_role
from app.errors import (
    AccountLocked,
    AppError,
    Conflict,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    OtpRequired,
    RateLimited,
    error_responses,
)
from app.users import service
from app.users.models import User
from app.users.schemas import (
    OtpConfirm,
    OtpEnrolment,
    PasswordChange,
    TokenRead,
    UserCreate,
    UserList,
    UserRead,
    UserUpdate,
)
from app.users.security import create_access_token

auth = APIRouter(prefix="/api/v1/auth", tags=["auth"])
users = APIRouter(
    prefix="/api/v1/users",
    tags=["users"],
    dependencies=[Depends(require_role(Role.admin))],
    responses=error_responses(NotAuthenticated, NotAllowed),
)


def to_read(user: User) -> UserRead:
    read = UserRead.model_validate(user)
    read.locked = user.locked_at is not None
    return read


@auth.post(
    "/token",
    response_model=TokenRead,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "example": {
                        "username": "mquispe",
                        "password": "una-clave-larga-2026",
                        "otp": "123456",
                    }
                }
            }
        }
    },
    responses=error_responses(NotAuthenticated, OtpRequired, AccountLocked, RateLimited),
)
def issue_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    otp: Annotated[str | None, Form(max_length=12)] = None,
) -> TokenRead:
    """Exchange username, password (and OTP when enrolled) for a short-lived bearer token."""
    client = request.client.host if request.client else "unknown"
    try:
        user = service.authenticate(
            session, username, password, otp, client=client, settings=settings
        )
    except AppError:
        session.commit()  # the failed attempt must count even though we answer an error
        raise
    token = create_access_token(
        settings.secret(), user.id, user.token_generation, minutes=settings.access_token_minutes
    )
    return TokenRead(access_token=token, expires_in=settings.access_token_minutes * 60)


@auth.get("/me", response_model=UserRead, responses=error_responses(NotAuthenticated))
def read_me(user: CurrentUser) -> UserRead:
    """The signed-in user: role, teams and two-factor state."""
    return to_read(user)


@auth.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotAuthenticated, AccountLocked, RateLimited),
)
def change_password(
    request: Request,
    body: PasswordChange,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> None:
    """Change one's password; every token and session issued before ends."""
    client = request.client.host if request.client else "unknown"
    try:
        service.change_password(
            session, user, body.current, body.new, settings=settings, client=client
        )
    except AppError:
        session.commit()  # a wrong current password counts like a failed sign-in
        raise


@auth.post(
    "/logout-all",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotAuthenticated),
)
def logout_all(user: CurrentUser, session: SessionDep) -> None:
    """End every session and bearer token of the caller, this one included."""
    service.end_all_sessions(session, user, actor=user)


@auth.post(
    "/otp/enrol", response_model=OtpEnrolment, responses=error_responses(NotAuthenticated, Conflict)
)
def enrol_otp(user: CurrentUser, session: SessionDep) -> OtpEnrolment:
    """Start two-factor enrolment: a new TOTP secret to load into an authenticator app."""
    secret, uri = service.start_otp_enrolment(session, user)
    return OtpEnrolment(secret=secret, otpauth_uri=uri)


@auth.post("/otp/confirm", response_model=UserRead, responses=error_responses(NotAuthenticated))
def confirm_otp(body: OtpConfirm, user: CurrentUser, session: SessionDep) -> UserRead:
    """Finish enrolment with a current code; from then on sign-in asks for it."""
    service.confirm_otp(session, user, body.otp)
    return to_read(user)


@users.post(
    "",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(Conflict),
)
def create_user(
    body: UserCreate, session: SessionDep, settings: SettingsDep, actor: CurrentUser
) -> UserRead:
    """Create a staff account with a role and teams."""
    created = service.create_user(
        session, body, settings=settings, actor=actor, temporary_password=True
    )
    return to_read(created)


@users.get("", response_model=UserList)
def list_users(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> UserList:
    """All staff accounts, by username."""
    rows = service.list_users(session, limit=limit, after=cursor)
    more = len(rows) > limit
    rows = rows[:limit]
    return UserList(
        items=[to_read(u) for u in rows], next_cursor=rows[-1].username if more else None
    )


@users.get("/{user_id}", response_model=UserRead, responses=error_responses(NotFound))
def read_user(user_id: uuid.UUID, session: SessionDep) -> UserRead:
    """One account."""
    return to_read(service.get_user(session, user_id))


@users.patch("/{user_id}", response_model=UserRead, responses=error_responses(NotFound, Conflict))
def update_user(
    user_id: uuid.UUID,
    body: UserUpdate,
    session: SessionDep,
    settings: SettingsDep,
    actor: CurrentUser,
) -> UserRead:
    """Change role, teams, name, password or `active` (false ends every session at once)."""
    user = service.get_user(session, user_id)
    return to_read(service.update_user(session, user, body, settings=settings, actor=actor))


@users.post("/{user_id}/unlock", response_model=UserRead, responses=error_responses(NotFound))
def unlock_user(user_id: uuid.UUID, session: SessionDep, actor: CurrentUser) -> UserRead:
    """Unlock an account locked after repeated failed sign-ins."""
    return to_read(service.unlock_user(session, service.get_user(session, user_id), actor=actor))


@users.post(
    "/{user_id}/logout-all",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotFound),
)
def logout_user_everywhere(user_id: uuid.UUID, session: SessionDep, actor: CurrentUser) -> None:
    """End every session and bearer token of one account (the admin's own only if targeted)."""
    service.end_all_sessions(session, service.get_user(session, user_id), actor=actor)
