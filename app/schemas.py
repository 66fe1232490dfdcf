"""The two configurations of the API's schemas: request bodies and models read from rows.

Every request body rejects unknown fields (a typo is a 422, not a silently ignored field) and
every schema is documented by examples in /openapi.json (`tests/test_openapi.py`).
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict


def request_body(*examples: dict[str, Any]) -> ConfigDict:
    """The `model_config` of a request body: unknown fields rejected, these examples shown."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


def read_model(*examples: dict[str, Any]) -> ConfigDict:
    """The `model_config` of a response built from ORM rows, with these examples."""
    return ConfigDict(from_attributes=True, json_schema_extra={"examples": list(examples)})
