"""The two configurations of the API's schemas: request bodies and models read from rows.

Every request body rejects unknown fields (a typo is a 422, not a silently ignored field) and
every schema is documented by examples in /openapi.json (`tests/test_openapi.py`).
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict


def request_body(*examples: dict[str, Any]) -> ConfigDict:
    """The `model_config` of a request body: unknown fields rejected, these examples shown."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


def read_model(*examples: dict[str, Any]) -> ConfigDict:
    """The `model_config` of a response built from ORM rows, with these examples."""
    return ConfigDict(from_attributes=True, json_schema_extra={"examples": list(examples)})


# The examples' author: one person across the API's examples.
AUTHOR_EXAMPLE: dict[str, Any] = {
    "id": "4b0c1f8e-2f7a-4c53-9a57-2a3f0a1b9c11",
    "full_name": "Rosa Huamán",
}


class AuthorRead(BaseModel):
    """A staff member as records name them: who wrote it, who is assigned (no username)."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [AUTHOR_EXAMPLE]},
    )

    id: uuid.UUID
    full_name: str
