"""Request bodies every soft-deletable work record shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class VersionIn(BaseModel):
    """The version a restore acts on (stale → 409)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"version": 2}]})

    version: int
