"""Documents of a victim (a signed consent, a complaint, a court's resolution...) and their
content, encrypted in chunks.

Nothing that could lead to the person is readable in the database: the title, the file
name and the plaintext's SHA-256 are sealed columns, and the content lives in
`document_chunks` as AES-GCM ciphertexts (app/documents/storage.py), each bound to its
document, its position and whether it is the last one.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.catalogs import DocumentKind
from app.db import Base, Sealed, SealedRow, str_enum
from app.work.records import DeletableRecord


class LinkedRecordType(StrEnum):
    """The records of a victim a document may be attached to."""

    follow_up = "follow_up"
    plan = "plan"
    referral = "referral"
    protection_measure = "protection_measure"
    consent = "consent"


class Document(DeletableRecord, SealedRow, Base):
    """One file of a victim's record, optionally attached to one of its records."""

    __tablename__ = "documents"

    victim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victims.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    title = Sealed()
    file_name = Sealed()
    # The plaintext's hash, sealed too: a plain hash would confirm a guess of the file.
    sha256 = Sealed()
    dated_on: Mapped[date] = mapped_column(Date)
    record_type: Mapped[LinkedRecordType | None] = mapped_column(
        str_enum(LinkedRecordType, "document_record_type")
    )
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    chunk_count: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class DocumentChunk(Base):
    """One encrypted piece of a document's content: `data` is nonce | ciphertext | tag.

    The foreign key is checked at COMMIT: an upload writes its chunks as they arrive, before
    the form's other fields (which may come after the file) let it write the document row.
    """

    __tablename__ = "document_chunks"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", deferrable=True, initially="DEFERRED"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key_id: Mapped[str] = mapped_column(String(8))
    data: Mapped[bytes] = mapped_column(LargeBinary)
