"""Errors of the documents domain."""

from __future__ import annotations

from app.errors import Conflict, NotFound


class DocumentNotFound(NotFound):
    code = "document_not_found"


class DocumentDamaged(Conflict):
    """The stored content does not open as it was sealed (altered, cut, reordered, moved):
    the download is refused before a byte is sent."""

    code = "document_damaged"
