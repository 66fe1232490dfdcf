"""Document content encrypted in chunks, in the database (`document_chunks`).

Each 64 KiB piece is sealed with AES-256-GCM under a key derived (HKDF) from the data key,
with associated data binding it to its document's id, its position and whether it is the
last piece. So a chunk copied from another document, two chunks swapped, a piece cut off
the end or a last chunk dropped all fail to open, and the download is refused before a
byte of it is sent (`verify`). Each chunk names the key it is under, so `calp
rotate-data-key` re-seals them in batches like every other sealed value.

Only ciphertext is written anywhere: the upload is encrypted as it arrives (app/documents/
upload.py), never spooled to a temporary file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, Engine, Select, Table, and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.crypto import DecryptionError, Keyring, get_keyring, key_id
from app.documents.models import Document, DocumentChunk

log = logging.getLogger("calp.documents")
CHUNK_SIZE = 64 * 1024
CHUNKS_PER_READ = 16  # a download reads 1 MiB per short transaction
_INFO = b"calp-document-chunks"
_CHUNKS: Table = DocumentChunk.__table__  # type: ignore[assignment]


class ChunkRefused(DecryptionError):
    """A chunk does not open under its binding (altered, moved, cut, unknown key): a
    DecryptionError, so `calp rotate-data-key` stops on it as on any other value."""


def _aad(document_id: uuid.UUID, position: int, last: bool) -> bytes:
    return b"calp-doc|" + document_id.bytes + struct.pack(">I?", position, last)


class ChunkCipher:
    """The chunk keys of one keyring: the active one seals, any configured one opens."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self.active_id = keyring.active_id
        self._aead = {
            key_id(k): AESGCM(
                HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(k)
            )
            for k in [keyring.active, *keyring.old]
        }

    def seal(self, document_id: uuid.UUID, position: int, last: bool, plain: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead[self.active_id].encrypt(
            nonce, plain, _aad(document_id, position, last)
        )

    def open(
        self, document_id: uuid.UUID, position: int, last: bool, kid: str, data: bytes
    ) -> bytes:
        aead = self._aead.get(kid)
        if aead is None or len(data) < 28:
            raise ChunkRefused()
        try:
            return aead.decrypt(data[:12], data[12:], _aad(document_id, position, last))
        except InvalidTag as exc:
            raise ChunkRefused() from exc


_cipher: ChunkCipher | None = None


def cipher() -> ChunkCipher:
    """The chunk cipher of the process's keyring (rebuilt when the keyring is replaced)."""
    global _cipher
    keyring = get_keyring()
    if _cipher is None or _cipher.keyring is not keyring:
        _cipher = ChunkCipher(keyring)
    return _cipher


def chunk_count(size: int) -> int:
    """How many chunks a content of `size` bytes is stored in (an empty one: one)."""
    return max(1, -(-size // CHUNK_SIZE))


@dataclass
class ChunkWriter:
    """Seals what it is fed into chunks and hands each row to `write` as soon as it is
    full. One full chunk is held back until more arrives, so the last one is known when
    it is sealed."""

    document_id: uuid.UUID
    write: Callable[[dict[str, object]], None]
    size: int = 0
    _buffer: bytearray = field(default_factory=bytearray)
    _position: int = 0
    _hash: hashlib._Hash = field(default_factory=hashlib.sha256)
    _cipher: ChunkCipher = field(default_factory=cipher)

    def feed(self, data: bytes) -> None:
        self.size += len(data)
        self._hash.update(data)
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._emit(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]

    def finish(self) -> str:
        """Seal the last chunk; the plaintext's SHA-256 (hex)."""
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        return self._hash.hexdigest()

    def _emit(self, plain: bytes, *, last: bool) -> None:
        sealed = self._cipher.seal(self.document_id, self._position, last, plain)
        self.write(
            {
                "document_id": self.document_id,
                "position": self._position,
                "key_id": self._cipher.active_id,
                "data": sealed,
            }
        )
        self._position += 1


def insert_chunks(session: Session, rows: list[dict[str, object]]) -> None:
    session.execute(insert(_CHUNKS), rows)


def read_chunks(
    read: Callable[[int, int], list[tuple[int, str, bytes]]],
    document_id: uuid.UUID,
    count: int,
) -> Iterator[bytes]:
    """The plaintext chunks, in order; ChunkRefused as soon as one is missing, out of place
    or fails to open. `read(first, limit)` returns (position, key id, data) rows."""
    c = cipher()
    expected = 0
    while expected < count:
        rows = read(expected, CHUNKS_PER_READ)
        if not rows:
            raise ChunkRefused()
        for position, kid, data in rows:
            if position != expected:
                raise ChunkRefused()
            yield c.open(document_id, position, position == count - 1, kid, data)
            expected += 1
    if read(count, 1):  # a chunk beyond the last: something was appended
        raise ChunkRefused()


def chunk_reader(
    session: Session, document_id: uuid.UUID
) -> Callable[..., list[tuple[int, str, bytes]]]:
    """`read(first, limit)` over the request's session."""

    def read(first: int, limit: int) -> list[tuple[int, str, bytes]]:
        stmt = (
            select(_CHUNKS.c.position, _CHUNKS.c.key_id, _CHUNKS.c.data)
            .where(_CHUNKS.c.document_id == document_id, _CHUNKS.c.position >= first)
            .order_by(_CHUNKS.c.position)
            .limit(limit)
        )
        return [(p, k, bytes(d)) for p, k, d in session.execute(stmt)]

    return read


def verify(session: Session, document_id: uuid.UUID, count: int, sha256: str | None) -> None:
    """Open every chunk and check the plaintext's hash, keeping nothing: ChunkRefused when
    the stored content is not exactly what was uploaded."""
    digest = hashlib.sha256()
    for plain in read_chunks(chunk_reader(session, document_id), document_id, count):
        digest.update(plain)
    if sha256 is None or digest.hexdigest() != sha256:
        raise ChunkRefused()


def damaged_documents(session: Session) -> list[uuid.UUID]:
    """The documents (deleted ones too) whose content does not verify: every chunk, then
    the hash. A restore checks what it brought back before it commits; `calp audit verify`
    names them."""
    damaged = []
    for document in session.scalars(select(Document).execution_options(yield_per=200)):
        try:
            verify(session, document.id, document.chunk_count, document.sha256)
        except ChunkRefused:
            log.warning("document %s does not verify", document.id)
            damaged.append(document.id)
    return damaged


def delete_chunks(conn: Connection | Session, document_ids: Select[Any]) -> int:
    """Delete the chunks of the documents `document_ids` selects (a subquery)."""
    result = conn.execute(delete(_CHUNKS).where(_CHUNKS.c.document_id.in_(document_ids)))
    return int(getattr(result, "rowcount", 0) or 0)


def rotate_chunks(engine: Engine, batch_size: int = 50) -> int:
    """Re-seal every chunk under another key than the active one, batch by batch (each
    its own short transaction), each row only if it is still the one read (compare-and-
    swap, like app/security/rotation.py). A chunk that fails to open stops the rotation
    (ChunkRefused) rather than being laundered under the new key. Returns how many."""
    c = cipher()
    docs: Table = Document.__table__  # type: ignore[assignment]
    stale = (
        select(_CHUNKS.c.document_id, _CHUNKS.c.position, _CHUNKS.c.key_id, _CHUNKS.c.data)
        .add_columns(docs.c.chunk_count)
        .join(docs, docs.c.id == _CHUNKS.c.document_id)
        .where(_CHUNKS.c.key_id != c.active_id)
        .limit(batch_size)
    )
    done = 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(stale).all()
            if not rows:
                return done
            for document_id, position, kid, data, count in rows:
                last = position == count - 1
                plain = c.open(document_id, position, last, kid, bytes(data))
                same = and_(
                    _CHUNKS.c.document_id == document_id,
                    _CHUNKS.c.position == position,
                    _CHUNKS.c.key_id == kid,
                )
                values = {"key_id": c.active_id, "data": c.seal(document_id, position, last, plain)}
                done += conn.execute(update(_CHUNKS).where(same).values(values)).rowcount


def stale_chunks(conn: Connection) -> int:
    """How many chunks are under another key than the active one."""
    stmt = select(func.count()).select_from(_CHUNKS).where(_CHUNKS.c.key_id != cipher().active_id)
    return int(conn.execute(stmt).scalar() or 0)
