"""What the schemas of work records share: the restore body and the examples' stamps."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from app.schemas import AUTHOR_EXAMPLE

# The examples' author and victim: one person and one victim across the API's examples.
AUTHOR_ID = "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11"
VICTIM_ID = "3a7c9e1b-2d4f-4b68-9a0c-1e3f5a7b9c2d"


def versioned_example(fields: dict[str, Any], *, at: str) -> dict[str, Any]:
    """A versioned record's example as read back: its fields, then the example author,
    version 1 and `at` as both its creation and last update."""
    return fields | {
        "created_by_id": AUTHOR_ID,
        "author": AUTHOR_EXAMPLE,
        "version": 1,
        "created_at": at,
        "updated_at": at,
    }


class VersionIn(BaseModel):
    """The version a restore acts on (stale → 409)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"version": 2}]})

    version: int
