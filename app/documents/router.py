"""JSON API of a victim's documents: upload (multipart, parsed and encrypted as it
streams), list, metadata, download (streamed), soft delete and restore."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from app.config import Settings
from app.db import SessionDep
from app.deps import CurrentUser
from app.documents import service
from app.documents.deps import VisibleDocument
from app.documents.errors import DocumentDamaged, DocumentNotFound
from app.documents.models import Document
from app.documents.schemas import DocumentList, DocumentRead, DocumentUpload
from app.documents.service import DOCUMENTS
from app.documents.sniff import ALLOWED
from app.errors import InvalidInput, TooLarge, error_responses
from app.nul_guard import parses_own_multipart
from app.pagination import Paging
from app.users.models import User
from app.victims.deps import VisibleVictim, WritableVictim
from app.victims.models import Victim
from app.work import api

router = api.work_router("documents", DocumentNotFound)


def _upload_schema() -> dict[str, Any]:
    # Its enums are the components DocumentRead brings along.
    schema = DocumentUpload.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return schema


# The body is read from the stream by the route (never spooled), so FastAPI does not see
# it as a form: OpenAPI shows it here.
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": _upload_schema(),
                "example": {"kind": "fiscal_resolution", "title": "Disposición", "file": "…"},
            }
        },
    }
}
# Sandboxed even if a browser were made to render it: no script, no plugin, no request.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "no-store",
}


def max_bytes(request: Request) -> int:
    settings: Settings = request.app.state.settings
    return settings.max_document_mb * 1024 * 1024


async def receive(
    request: Request, session: Any, victim: Victim, user: User, **options: Any
) -> Document:
    """Store the upload of this request (pages and API alike). A Content-Length already
    over the limit is a 413, the body unread."""
    limit = max_bytes(request)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + 64 * 1024:
        raise TooLarge("file_too_large", limit_mb=limit // (1024 * 1024))
    return await service.upload(
        session,
        victim,
        request.stream(),
        request.headers.get("content-type", ""),
        actor=user,
        max_bytes=limit,
        **options,
    )


@router.post(
    "/victims/{victim_id}/documents",
    response_model=DocumentRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(InvalidInput, TooLarge),
    openapi_extra=_UPLOAD_BODY,
)
@parses_own_multipart
async def upload_document(
    request: Request, victim: WritableVictim, session: SessionDep, user: CurrentUser
) -> Document:
    """Upload a document of the victim (multipart: `file`, `kind`, `title`, `dated_on`?,
    `record_type`? + `record_id`?). The type is read from the bytes: PDF, JPEG, PNG, WebP,
    DOCX, ODT, XLSX or UTF-8 text, matching the declared one (else 422); larger than
    CALP_MAX_DOCUMENT_MB: 413. Stored encrypted; nothing of it on disk."""
    try:
        return await receive(request, session, victim, user)
    except ValidationError as exc:  # the form's fields: the app's 422, as for a JSON body
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_input=False)]
        raise RequestValidationError(errors) from None


@router.get(
    "/victims/{victim_id}/documents", response_model=DocumentList, responses=api.LIST_ERRORS
)
def list_documents(
    victim: VisibleVictim, session: SessionDep, user: CurrentUser, page: Paging
) -> DocumentList:
    """List the victim's documents the caller may see, latest date first (psychological
    ones only for psychologists and their author)."""
    return api.listing(
        DocumentList,
        service.page(session, user, victim, limit=page.limit, cursor=page.cursor),
    )


@router.get("/documents/{document_id}", response_model=DocumentRead)
def get_document(document: VisibleDocument) -> Document:
    """A document's metadata (not its content)."""
    return document


def content_response(request: Request, document: Document) -> StreamingResponse:
    """The download: an attachment (never rendered inline), streamed chunk by chunk."""
    name = document.file_name or "documento"
    headers = DOWNLOAD_HEADERS | {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
        "Content-Length": str(document.size),
    }
    media = document.content_type
    if media == "text/plain":
        media += "; charset=utf-8"
    return StreamingResponse(
        service.content(request.app.state.session_factory, document),
        media_type=media,
        headers=headers,
    )


@router.get(
    "/documents/{document_id}/content",
    response_class=StreamingResponse,
    responses={
        200: {
            # One of the allowed types, as sniffed at upload (text as UTF-8).
            "content": {media: {} for media in sorted(ALLOWED)},
            "description": "The file's bytes",
        },
        **error_responses(DocumentDamaged),
    },
)
def download_document(
    request: Request, document: VisibleDocument, session: SessionDep, user: CurrentUser
) -> StreamingResponse:
    """The document's bytes as uploaded (`Content-Disposition: attachment`), after every
    chunk was checked (a damaged document: 409, nothing sent). Audited (`read_document`)."""
    service.open_for_download(session, document, actor=user)
    return content_response(request, document)


@router.delete(
    "/documents/{document_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=api.DELETE_ERRORS,
)
def delete_document(_: Annotated[None, api.deleting(DOCUMENTS, "document_id")]) -> Response:
    """Soft-delete a document (`?version=N`); a coordinator may restore it."""
    return api.no_content()


@router.post(
    "/documents/{document_id}/restore", response_model=DocumentRead, responses=api.RESTORE_ERRORS
)
def restore_document(
    document: Annotated[Document, api.restoring(DOCUMENTS, "document_id")],
) -> Document:
    """Restore a deleted document (coordinators of the team)."""
    return document
