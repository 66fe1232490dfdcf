"""JSON API of visualiser tokens (admin only): create (token shown once), list, revoke."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from app.catalogs import Role
from app.db import SessionDep
from app.deps import CurrentUser, require_role
from app.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound, error_responses
from app.pagination import Paging
from app.tokens import service
from app.tokens.models import ApiToken
from app.tokens.schemas import TokenCreate, TokenCreated, TokenList, TokenRead

router = APIRouter(
    prefix="/api/v1/tokens",
    tags=["tokens"],
    dependencies=[Depends(require_role(Role.admin))],
    responses=error_responses(NotAuthenticated, NotAllowed),
)


@router.post("", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(data: TokenCreate, session: SessionDep, user: CurrentUser) -> TokenCreated:
    """Create a visualiser token; the response is the only place the token ever appears."""
    token, raw = service.create_token(session, data, actor=user)
    return TokenCreated(id=token.id, token=raw)


@router.get("", response_model=TokenList, responses=error_responses(InvalidInput))
def list_tokens(session: SessionDep, page: Paging) -> TokenList:
    """List visualiser tokens, newest first (never the token itself)."""
    rows, next_cursor = service.list_tokens(session, limit=page.limit, cursor=page.cursor)
    return TokenList(items=[TokenRead.model_validate(t) for t in rows], next_cursor=next_cursor)


@router.delete("/{token_id}", response_model=TokenRead, responses=error_responses(NotFound))
def revoke_token(token_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> ApiToken:
    """Revoke a token: from now on it authenticates nothing."""
    return service.revoke_token(session, token_id, actor=user)
