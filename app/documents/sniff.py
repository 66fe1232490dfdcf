"""What a document's bytes are, decided from the bytes (the `filetype` library's magic
numbers), never from the name or the type the client declares.

Only the formats an office of lawyers, psychologists and social workers exchanges are
taken; a plain text must be UTF-8 without NULs from its first byte to its last, so it is
checked as it streams (`TextCheck`).
"""

from __future__ import annotations

import codecs

import filetype  # type: ignore[import-untyped]

from app.errors import InvalidInput

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"
ALLOWED = {PDF, "image/jpeg", "image/png", "image/webp", DOCX, ODT, XLSX, TEXT}
EXTENSIONS = {
    PDF: "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    DOCX: "docx",
    ODT: "odt",
    XLSX: "xlsx",
    TEXT: "txt",
}
HEAD_BYTES = 8192  # what the magic numbers are looked for in (filetype reads as many)
# Declared types that say nothing (a browser that does not know the extension).
_UNDECLARED = {"", "application/octet-stream"}
_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}


def declared(content_type: str | None) -> str:
    """The part's declared media type, lowercased, without parameters."""
    media = (content_type or "").split(";")[0].strip().lower()
    return _ALIASES.get(media, media)


def sniff(head: bytes) -> str:
    """The media type of a content beginning with `head`: one of ALLOWED (text/plain when
    no magic number matches: `TextCheck` then checks every byte), else 422."""
    kind = filetype.guess(head)
    if kind is None:
        return TEXT
    if kind.mime not in ALLOWED:
        raise InvalidInput("file", "document_type_not_allowed")
    return str(kind.mime)


def check_declared(sniffed: str, declared_type: str) -> None:
    """422 when the client declared a type that the bytes are not."""
    if declared_type not in _UNDECLARED and declared_type != sniffed:
        raise InvalidInput("file", "document_type_mismatch")


class TextCheck:
    """UTF-8 without NUL, fed piece by piece (a character may straddle two pieces)."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, data: bytes, *, final: bool = False) -> None:
        try:
            text = self._decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise InvalidInput("file", "document_type_not_allowed") from exc
        if "\x00" in text:
            raise InvalidInput("file", "document_type_not_allowed")
