"""Schemas of a victim's documents: the upload form's text fields, and what is read back."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

from app.catalogs import DocumentKind
from app.documents.models import LinkedRecordType
from app.integrity import IntegrityErrors
from app.pagination import Page
from app.schemas import AuthorRead, read_model, request_body
from app.work.schemas import AUTHOR_ID, VICTIM_ID

_FIELDS: dict[str, Any] = {
    "kind": "fiscal_resolution",
    "title": "Disposición de formalización",
    "dated_on": "2024-03-20",
    "record_type": "referral",
    "record_id": "2b3c4d5e-6f70-4a81-92a3-b4c5d6e7f809",
}
_READ: dict[str, Any] = _FIELDS | {
    "id": "5d6e7f80-9a1b-4c2d-8e3f-405162738495",
    "victim_id": VICTIM_ID,
    "file_name": "disposicion.pdf",
    "content_type": "application/pdf",
    "size": 183204,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "author": {"id": AUTHOR_ID, "full_name": "Rosa Huamán"},
    "created_at": "2024-03-20T15:00:00Z",
    "updated_at": "2024-03-20T15:00:00Z",
    "version": 1,
}


class DocumentFields(BaseModel):
    """The upload form's fields beside `file` (multipart/form-data)."""

    model_config = request_body(_FIELDS)

    kind: DocumentKind
    title: str = Field(min_length=1, max_length=200)
    dated_on: date | None = None  # the document's own date; the upload's day when left out
    record_type: LinkedRecordType | None = None
    record_id: uuid.UUID | None = None

    @field_validator("title", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class DocumentUpload(DocumentFields):
    """The multipart body, as OpenAPI shows it (the route parses the stream itself)."""

    file: bytes = Field(json_schema_extra={"format": "binary"})


class DocumentRead(BaseModel):
    model_config = read_model(_READ)

    id: uuid.UUID
    victim_id: uuid.UUID
    kind: DocumentKind
    title: str | None
    file_name: str | None
    dated_on: date
    record_type: LinkedRecordType | None
    record_id: uuid.UUID | None
    content_type: str
    size: int
    sha256: str | None = Field(description="SHA-256 of the content (hex), as uploaded")
    author: AuthorRead | None
    created_at: datetime
    updated_at: datetime
    version: int
    integrity_errors: IntegrityErrors


class DocumentList(Page[DocumentRead]):
    """A page of a victim's documents, latest `dated_on` first."""
