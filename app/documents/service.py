"""Documents of a victim: who may see them, the upload (encrypted as it streams), the
download (verified whole, then streamed), and soft deletion and restore (the kind's).

Who may see a document follows its victim (app/scope.py: outside the team it does not
exist, admin never), and a psychological one (kind `psychological_report`, or attached to
a psychological follow-up) follows the rule of that narrative, `can_read_narrative`: for
anyone else it is neither listed nor found.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio.to_thread
from sqlalchemy import ColumnElement, Select, and_, not_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit.models import AuditAction
from app.catalogs import DocumentKind, FollowUpKind
from app.consents.models import Consent
from app.db import today
from app.documents import sniff, storage
from app.documents.errors import DocumentDamaged, DocumentNotFound
from app.documents.models import Document, LinkedRecordType
from app.documents.schemas import DocumentFields
from app.documents.upload import parse_stream
from app.errors import InvalidInput
from app.followups.models import FollowUp
from app.plans.models import Plan
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.scope import can_read_narrative, ensure_case_writer
from app.users.models import User
from app.victims.models import Victim
from app.work.kinds import DeletableKind
from app.work.lifecycle import visible_victim_ids
from app.work.pages import dated_page

log = logging.getLogger("calp.documents")

_LINKED: dict[LinkedRecordType, Any] = {
    LinkedRecordType.follow_up: FollowUp,
    LinkedRecordType.plan: Plan,
    LinkedRecordType.referral: Referral,
    LinkedRecordType.protection_measure: ProtectionMeasure,
    LinkedRecordType.consent: Consent,
}


def psychological() -> ColumnElement[bool]:
    """The documents only readers of psychological narratives may see."""
    psychological_follow_ups = select(FollowUp.id).where(
        FollowUp.kind == FollowUpKind.psychological
    )
    return or_(
        Document.kind == DocumentKind.psychological_report,
        # NOT NULL first: a NULL would make the whole test NULL, and NOT of it hide all.
        and_(
            Document.record_type.is_not(None),
            Document.record_id.is_not(None),
            Document.record_type == LinkedRecordType.follow_up,
            Document.record_id.in_(psychological_follow_ups),
        ),
    )


def visible_documents(user: User, *, include_deleted: bool = False) -> Select[Document]:
    """Documents of the victims the caller may see, psychological ones only for those
    who may read that narrative (the team's psychologists, and their author)."""
    stmt = select(Document).where(Document.victim_id.in_(visible_victim_ids(user)))
    if not can_read_narrative(user, FollowUpKind.psychological, None):
        stmt = stmt.where(or_(not_(psychological()), Document.created_by_id == user.id))
    if not include_deleted:
        stmt = stmt.where(Document.deleted_at.is_(None))
    return stmt


DOCUMENTS = DeletableKind(
    Document,
    "document",
    DocumentNotFound,
    parent=None,
    scope=visible_documents,
    dated_by="dated_on",
)


def page(
    session: Session, user: User, victim: Victim, *, limit: int, cursor: str | None
) -> tuple[list[Document], str | None]:
    """A keyset page of the victim's documents the caller may see, latest date first."""
    stmt = visible_documents(user).where(Document.victim_id == victim.id)
    return dated_page(session, stmt, Document, "dated_on", limit=limit, cursor=cursor)


def safe_file_name(name: str, content_type: str) -> str:
    """The name to keep for `Content-Disposition`: its last path component, without
    control characters, at most 200 characters (a name of its type's extension if none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    return base[:200] or f"documento.{sniff.EXTENSIONS[content_type]}"


class _Upload:
    """The file part's sink: sniffs the type from its first bytes, checks a text to its
    last, and seals chunks as they come (`rows` waits for the database)."""

    def __init__(self, document_id: uuid.UUID, check_fields: Callable[[dict[str, str]], None]):
        self.rows: list[dict[str, object]] = []
        self.writer = storage.ChunkWriter(document_id, self.rows.append)
        self.check_fields = check_fields
        self.file_name = ""
        self.declared = ""
        self.content_type: str | None = None
        self._head = bytearray()
        self._text: sniff.TextCheck | None = None

    def begin(self, filename: str, content_type: str, fields: dict[str, str]) -> None:
        self.check_fields(fields)  # e.g. the page's CSRF token, before any byte is kept
        self.file_name, self.declared = filename, sniff.declared(content_type)

    def feed(self, data: bytes) -> None:
        self.writer.feed(data)
        if self.content_type is None:
            self._head += data
            if len(self._head) >= sniff.HEAD_BYTES:
                self._decide()
        elif self._text is not None:
            self._text.feed(data)

    def _decide(self) -> None:
        head, self._head = bytes(self._head), bytearray()
        if not head:
            raise InvalidInput("file", "document_file_empty")
        self.content_type = sniff.sniff(head[: sniff.HEAD_BYTES])
        sniff.check_declared(self.content_type, self.declared)
        if self.content_type == sniff.TEXT:
            self._text = sniff.TextCheck()
            self._text.feed(head)

    def finish(self) -> str:
        if self.content_type is None:
            self._decide()
        if self._text is not None:
            self._text.feed(b"", final=True)
        return self.writer.finish()

    def take(self) -> list[dict[str, object]]:
        rows = list(self.rows)
        self.rows.clear()  # in place: the writer appends to this very list
        return rows


def _fields(raw: dict[str, str]) -> DocumentFields:
    # An empty input of an HTML form means "not given", as the API's optional fields do.
    values = {k: (v if v.strip() else None) for k, v in raw.items()}
    return DocumentFields.model_validate({k: v for k, v in values.items() if v is not None})


def _check_link(session: Session, victim: Victim, fields: DocumentFields) -> None:
    if fields.record_type is None and fields.record_id is None:
        return
    if fields.record_type is None or fields.record_id is None:
        raise InvalidInput("record_id", "document_record_required")
    model = _LINKED[fields.record_type]
    stmt = select(model.id).where(model.id == fields.record_id, model.victim_id == victim.id)
    if hasattr(model, "deleted_at"):
        stmt = stmt.where(model.deleted_at.is_(None))
    if session.scalar(stmt) is None:
        raise InvalidInput("record_id", "document_record_unknown")


async def upload(
    session: Session,
    victim: Victim,
    stream: AsyncIterator[bytes],
    content_type: str,
    *,
    actor: User,
    max_bytes: int,
    check_fields: Callable[[dict[str, str]], None] = lambda fields: None,
    prepare: Callable[[dict[str, str]], dict[str, str]] = dict,
) -> Document:
    """Store the document a multipart body carries, encrypting it as it streams.

    403 for roles that never write; 422 for a form without its file, a type not allowed or
    not the one declared, fields that break the rules; 413 as soon as the file passes
    `max_bytes`. All of it in a savepoint: whatever fails, nothing stays stored. A page
    checks its CSRF token in `check_fields` and maps its inputs to the API's in `prepare`."""
    ensure_case_writer(actor)
    document_id = uuid.uuid4()
    sink = _Upload(document_id, check_fields)
    run = anyio.to_thread.run_sync
    savepoint = await run(session.begin_nested)

    async def flush() -> None:
        rows = sink.take()
        if rows:
            await run(storage.insert_chunks, session, rows)

    try:
        form = await parse_stream(stream, content_type, sink, max_file=max_bytes, flush=flush)
        check_fields(form.fields)
        if not form.had_file:
            raise InvalidInput("file", "document_file_required")
        sha256 = sink.finish()
        await flush()
        fields = _fields(prepare(form.fields))  # pydantic's ValidationError: a 422

        def save() -> Document:
            _check_link(session, victim, fields)
            return _save(session, victim, fields, sink, sha256, document_id, actor)

        document = await run(save)
    except BaseException:
        await run(savepoint.rollback)
        raise
    await run(savepoint.commit)
    return document


def _save(
    session: Session,
    victim: Victim,
    fields: DocumentFields,
    sink: _Upload,
    sha256: str,
    document_id: uuid.UUID,
    actor: User,
) -> Document:
    assert sink.content_type is not None
    size = sink.writer.size
    document = Document(
        id=document_id,
        victim_id=victim.id,
        kind=fields.kind,
        dated_on=fields.dated_on or today(),
        record_type=fields.record_type,
        record_id=fields.record_id,
        content_type=sink.content_type,
        size=size,
        chunk_count=storage.chunk_count(size),
        created_by_id=actor.id,
    )
    document.title = fields.title
    document.file_name = safe_file_name(sink.file_name, sink.content_type)
    document.sha256 = sha256
    given = [k for k, v in fields.model_dump().items() if v is not None]
    DOCUMENTS.save_new(session, document, actor=actor, fields=[*given, "file"])
    document.author  # noqa: B018  (read here, in the thread: the response needs it)
    return document


def open_for_download(session: Session, document: Document, *, actor: User) -> None:
    """Check every chunk and the hash before anything is sent (a damaged document is a
    409, never a partial file), then audit the read."""
    try:
        storage.verify(session, document.id, document.chunk_count, document.sha256)
    except storage.ChunkRefused:
        log.warning("document %s fails to verify: download refused", document.id)
        raise DocumentDamaged() from None
    DOCUMENTS.audit(session, AuditAction.read_document, document, actor=actor, fields=["content"])


def content(factory: sessionmaker[Session], document: Document) -> Iterator[bytes]:
    """The plaintext, chunk by chunk, each batch read in a short session of its own (the
    request's is closed by then; a slow client holds no transaction)."""
    document_id, count = document.id, document.chunk_count

    def read(first: int, limit: int) -> list[tuple[int, str, bytes]]:
        with factory() as s:
            return storage.chunk_reader(s, document_id)(first, limit)

    return storage.read_chunks(read, document_id, count)
