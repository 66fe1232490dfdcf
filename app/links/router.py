"""JSON API of links between two victim records of the same person."""

from __future__ import annotations

from fastapi import Response, status

from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import Conflict, InvalidInput, error_responses
from app.links import service
from app.links.deps import WritableLink
from app.links.errors import LinkNotFound
from app.links.schemas import LinkCreate, LinkList, LinkRead
from app.pagination import Paging
from app.scope import VictimNotFound
from app.victims.deps import VisibleVictim, WritableVictim
from app.work import api

router = api.work_router("links", LinkNotFound)


@router.post(
    "/victims/{victim_id}/links",
    response_model=LinkRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(VictimNotFound, InvalidInput, Conflict),
)
def link_victims(
    victim: WritableVictim, body: LinkCreate, session: SessionDep, user: CurrentUser
) -> LinkRead:
    """Link two records of the same person (both visible to the caller); 409 if linked."""
    return service.link_victims(session, victim, body, actor=user)


@router.get(
    "/victims/{victim_id}/links",
    response_model=LinkList,
    responses=error_responses(VictimNotFound, InvalidInput),
)
def list_links(
    victim: VisibleVictim, session: SessionDep, user: CurrentUser, page: Paging
) -> LinkList:
    """The other records of the same person that the caller may see, latest link first."""
    items, next_cursor = service.victim_links(
        session, user, victim, limit=page.limit, cursor=page.cursor
    )
    return LinkList(items=items, next_cursor=next_cursor)


@router.delete(
    "/links/{link_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=api.DELETE_ERRORS,
)
def unlink(
    link: WritableLink, version: api.DeleteVersion, session: SessionDep, user: CurrentUser
) -> Response:
    """Unlink (`?version=N`): the link is kept, deleted, in the audit trail."""
    service.LINKS.delete(session, link, version=version, actor=user)
    return api.no_content()
