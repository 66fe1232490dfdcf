"""Schemas for sign-in, the current user, and user administration."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.catalogs import Role, Team

USERNAME_PATTERN = r"^[a-z0-9_.-]{3,64}$"


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"access_token": "eyJhbGciOi…", "token_type": "bearer", "expires_in": 1800}
            ]
        }
    )


USER_EXAMPLE: dict[str, Any] = {
    "id": "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11",
    "username": "mquispe",
    "full_name": "María Quispe",
    "role": "psychologist",
    "teams": ["cusco"],
    "otp_enrolled": False,
    "active": True,
    "version": 1,
}


class UserRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [USER_EXAMPLE]},
    )

    id: uuid.UUID
    username: str
    full_name: str
    role: Role
    teams: list[Team]
    otp_enrolled: bool
    active: bool
    version: int
    locked: bool = False


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "username": "mquispe",
                    "full_name": "María Quispe",
                    "password": "una-clave-larga-2026",
                    "role": "psychologist",
                    "teams": ["cusco"],
                }
            ]
        },
    )

    username: str = Field(pattern=USERNAME_PATTERN)
    full_name: str = Field(default="", max_length=200)
    password: str = Field(min_length=10, max_length=256)
    role: Role
    teams: list[Team] = Field(default_factory=list)

    @field_validator("teams")
    @classmethod
    def _unique(cls, teams: list[Team]) -> list[Team]:
        return list(dict.fromkeys(teams))


class UserUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"version": 3, "active": False}]}
    )

    version: int
    full_name: str | None = Field(default=None, max_length=200)
    role: Role | None = None
    teams: list[Team] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)
    otp_reset: bool | None = Field(default=None, description="Reset two-factor (lost device)")


class UserList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [{**USER_EXAMPLE, "locked": False}],
                    "next_cursor": None,
                }
            ]
        }
    )

    items: list[UserRead]
    next_cursor: str | None = None


class PasswordChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"current": "la-clave-actual", "new": "una-clave-nueva-larga"}]
        },
    )

    current: str
    new: str = Field(min_length=10, max_length=256)


class OtpEnrolment(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"secret": "JBSWY3DPEHPK3PXP", "otpauth_uri": "otpauth://totp/CALP:mquispe?..."}
            ]
        }
    )

    secret: str
    otpauth_uri: str


class OtpConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"otp": "123456"}]})

    otp: str = Field(pattern=r"^\d{6}$")
