"""The document a JSON route names in its path (`document_id`), found for the caller."""

from __future__ import annotations

from typing import Annotated

from app.documents.models import Document
from app.documents.service import DOCUMENTS
from app.work.api import restorable, visible, writable

VisibleDocument = Annotated[Document, visible(DOCUMENTS, "document_id")]
WritableDocument = Annotated[Document, writable(DOCUMENTS, "document_id")]
RestorableDocument = Annotated[Document, restorable(DOCUMENTS, "document_id")]
