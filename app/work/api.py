"""What the JSON routers of the work domains share: the version parameters and error sets.

Only declarations: each router still lists its own endpoints, each with its docstring.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response, status

from app.errors import Conflict, InvalidInput, StaleVersion, error_responses
from app.work.schemas import VersionIn

__all__ = [
    "CREATE_ERRORS",
    "DELETE_ERRORS",
    "LIST_ERRORS",
    "RESTORE_ERRORS",
    "UPDATE_ERRORS",
    "DeleteVersion",
    "VersionIn",
    "no_content",
]

DeleteVersion = Annotated[int, Query(description="The version being deleted (stale → 409)")]

CREATE_ERRORS = error_responses(InvalidInput)
LIST_ERRORS = error_responses(InvalidInput)
UPDATE_ERRORS = error_responses(StaleVersion, InvalidInput)
DELETE_ERRORS = error_responses(StaleVersion)
RESTORE_ERRORS = error_responses(StaleVersion, Conflict)


def no_content() -> Response:
    """The answer of a delete: 204, no body."""
    return Response(status_code=status.HTTP_204_NO_CONTENT)
