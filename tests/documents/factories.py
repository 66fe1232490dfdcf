"""A stored document made without a request (sealed chunks written as the upload does)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.catalogs import DocumentKind
from app.documents import storage
from app.documents.models import Document
from app.victims.models import Victim
from tests.documents import samples


def make_document(
    db: Session,
    victim: Victim,
    *,
    author: Any = None,
    content: bytes | None = None,
    kind: DocumentKind = DocumentKind.complaint,
    title: str = "Denuncia ante la comisaría",
    **overrides: Any,
) -> Document:
    content = samples.pdf() if content is None else content
    doc_id = uuid.uuid4()
    writer = storage.ChunkWriter(doc_id, lambda row: storage.insert_chunks(db, [row]))
    writer.feed(content)
    sha256 = writer.finish()
    fields: dict[str, Any] = {
        "id": doc_id,
        "victim_id": victim.id,
        "kind": kind,
        "dated_on": date(2024, 3, 20),
        "content_type": "application/pdf",
        "size": len(content),
        "chunk_count": storage.chunk_count(len(content)),
        "created_by_id": getattr(author, "id", None),
    }
    document = Document(**(fields | overrides))
    document.title, document.file_name, document.sha256 = title, "denuncia.pdf", sha256
    assert sha256 == hashlib.sha256(content).hexdigest()
    db.add(document)
    db.flush()
    return document
