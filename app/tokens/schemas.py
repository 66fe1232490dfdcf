"""Request and response shapes of the visualiser tokens API (the token itself only once)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.catalogs import Role
from app.schemas import read_model, request_body

_ID = "0b7f6a2e-3c1d-4a53-9b8e-2f4d5c6a7b8c"


class TokenCreate(BaseModel):
    """A new credential for the route visualiser."""

    model_config = request_body({"name": "Visualizador web", "role": "visualiser"})

    name: str = Field(min_length=1, max_length=100, description="What the token is for")
    role: Literal["visualiser"]


class TokenCreated(BaseModel):
    """The new token: shown this once, only its hash is kept."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": _ID, "token": "calp_vis_3q2-7dWm0xQ…"}]}
    )

    id: uuid.UUID
    token: str


class TokenRead(BaseModel):
    """A token as listed: never the token or its hash."""

    model_config = read_model(
        {
            "id": _ID,
            "name": "Visualizador web",
            "role": "visualiser",
            "created_at": "2025-03-01T10:00:00Z",
            "revoked_at": None,
            "last_used_at": "2025-03-02T08:30:00Z",
        }
    )

    id: uuid.UUID
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenList(BaseModel):
    """A page of tokens, newest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": _ID,
                            "name": "Visualizador web",
                            "role": "visualiser",
                            "created_at": "2025-03-01T10:00:00Z",
                            "revoked_at": None,
                            "last_used_at": None,
                        }
                    ],
                    "next_cursor": None,
                }
            ]
        }
    )

    items: list[TokenRead]
    next_cursor: str | None = None
