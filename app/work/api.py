"""What the JSON routers of the work domains share: their router's frame, the record
dependencies, version parameters, error sets and list responses.

Only declarations: each router still lists its own endpoints, each with its docstring.
"""

# No `from __future__ import annotations` here: FastAPI reads the dependencies' annotations
# at run time, and the path parameter's alias lives in a closure it could not resolve.

import uuid
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    StaleVersion,
    error_responses,
)
from app.users.models import User
from app.work.kinds import DeletableKind, WorkKind
from app.work.lifecycle import SoftDeletable, Versioned
from app.work.schemas import VersionIn

__all__ = [
    "CREATE_ERRORS",
    "DELETE_ERRORS",
    "LIST_ERRORS",
    "RESTORE_ERRORS",
    "UPDATE_ERRORS",
    "DeleteVersion",
    "VersionIn",
    "listing",
    "deleting",
    "no_content",
    "restorable",
    "restoring",
    "visible",
    "work_router",
    "writable",
]

T = TypeVar("T")
L = TypeVar("L", bound=BaseModel)
V = TypeVar("V", bound=Versioned)
S = TypeVar("S", bound=SoftDeletable)

DeleteVersion = Annotated[int, Query(description="The version being deleted (stale → 409)")]

CREATE_ERRORS = error_responses(InvalidInput)
LIST_ERRORS = error_responses(InvalidInput)
UPDATE_ERRORS = error_responses(StaleVersion, InvalidInput)
DELETE_ERRORS = error_responses(StaleVersion)
RESTORE_ERRORS = error_responses(StaleVersion, Conflict)


def visible(kind: WorkKind[V], path_param: str) -> Any:
    """`Depends` on the record named by the path parameter, as `kind.visible` finds it.

    For an `Annotated` alias beside the router (`VisibleCase = Annotated[Case,
    visible(CASES, "case_id")]`); every route keeps its own path, docstring and responses.
    """
    return Depends(_from_path(kind.visible, path_param))


def writable(kind: WorkKind[V], path_param: str) -> Any:
    """`Depends` on the record named by the path parameter, as `kind.writable` finds it."""
    return Depends(_from_path(kind.writable, path_param))


def restorable(kind: DeletableKind[S], path_param: str) -> Any:
    """`Depends` on the record named by the path parameter, as `kind.restorable` finds it."""
    return Depends(_from_path(kind.restorable, path_param))


def deleting(kind: DeletableKind[S], path_param: str) -> Any:
    """`Depends` that soft-deletes the record named by the path parameter: found as
    `kind.writable` finds it (403/404 first), then `kind.delete` at `?version=N` (stale: 409).

    The one parameter of a delete route (`_: Annotated[None, deleting(PLANS, "plan_id")]`),
    which keeps its own path, docstring and responses and answers `no_content()`.
    """
    found = _from_path(kind.writable, path_param)

    def delete(
        record: Annotated[Any, Depends(found)],
        version: DeleteVersion,
        session: SessionDep,
        user: CurrentUser,
    ) -> None:
        kind.delete(session, record, version=version, actor=user)

    return Depends(delete)


def restoring(kind: DeletableKind[S], path_param: str) -> Any:
    """`Depends` on the record named by the path parameter, restored: found as
    `kind.restorable` finds it, then `kind.restore` at the body's `version` (stale: 409).

    The one parameter of a restore route (`plan: Annotated[Plan, restoring(PLANS,
    "plan_id")]`), which keeps its own path, docstring and responses and answers the record.
    """
    found = _from_path(kind.restorable, path_param)

    def restore(
        record: Annotated[Any, Depends(found)],
        body: VersionIn,
        session: SessionDep,
        user: CurrentUser,
    ) -> Any:
        return kind.restore(session, record, version=body.version, actor=user)

    return Depends(restore)


def _from_path(
    get: Callable[[Session, User, uuid.UUID], T], path_param: str
) -> Callable[[uuid.UUID, Session, User], T]:
    def record(
        record_id: Annotated[uuid.UUID, Path(alias=path_param)],
        session: SessionDep,
        user: CurrentUser,
    ) -> T:
        return get(session, user, record_id)

    return record


def work_router(tag: str, *not_found: type[NotFound], prefix: str = "/api/v1") -> APIRouter:
    """A work domain's JSON router: under `prefix`, every route documenting the errors any
    of them may answer (401, 403 and the domain's 404, where one 404 serves every route)."""
    responses = error_responses(NotAuthenticated, NotAllowed, *not_found)
    return APIRouter(prefix=prefix, tags=[tag], responses=responses)


def listing(model: type[L], page: tuple[Sequence[object], str | None]) -> L:
    """The list response (`items`, `next_cursor`) of a keyset page of records."""
    items, next_cursor = page
    return model.model_validate({"items": items, "next_cursor": next_cursor}, from_attributes=True)


def no_content() -> Response:
    """The answer of a delete: 204, no body."""
    return Response(status_code=status.HTTP_204_NO_CONTENT)
