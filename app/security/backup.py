"""Encrypted, consistent, portable backups of the whole database, and their restore.

Format: a logical dump of every table of `Base.metadata` (rows as JSON, values exactly as
stored: encrypted columns stay ciphertext), in frames sealed with AES-256-GCM under a key
derived (HKDF, random salt) from the active CALP_DATA_KEY. Each frame's nonce and
associated data carry its index and an end marker, so a reordered, cut or edited file is
refused rather than half restored.

Why logical and not pg_dump / a file copy: one code path for both databases, a restore that
can move a SQLite trial onto PostgreSQL, and no external binary to find. Consistency comes
from the snapshot: SQLite is first copied with the sqlite3 online backup API (writers keep
working), PostgreSQL is read in one REPEATABLE READ READ ONLY transaction.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import struct
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Enum,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    create_engine,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.audit.models import AuditAction
from app.crypto import decode_key, key_id
from app.db import Base, EncryptedText, UTCDateTime
from app.documents.storage import damaged_documents
from app.security.events import record_cli_event

MAGIC = b"CALPBK1\n"
ROWS_PER_FRAME = 500
# Rows of 64 KiB (document chunks): 1 MiB per frame, not 32, in memory at once.
_ROWS_PER_FRAME = {"document_chunks": 16}
# Bookkeeping tables a freshly migrated database already holds a row in.
_SEEDED = {"data_versions"}


class BackupError(RuntimeError):
    """The backup cannot be written or restored (message safe to show)."""


@dataclass
class RestoreReport:
    tables: dict[str, int]


def raw_tables() -> list[Table]:
    """Every table, dependency-ordered, with encrypted and enum columns typed as plain text.

    Reading through these copies returns what is stored (ciphertext, enum codes), so a
    backup or a rotation never decrypts more than it must.
    """
    md = MetaData()
    tables = []
    for table in Base.metadata.sorted_tables:
        copy = table.to_metadata(md)
        for col in copy.c:
            if isinstance(col.type, EncryptedText):
                col.type = Text()
            elif isinstance(col.type, Enum):
                col.type = String(col.type.length)
        tables.append(copy)
    return tables


def _derive(key: bytes, salt: bytes) -> AESGCM:
    return AESGCM(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"calp-backup").derive(key)
    )


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">I?", index, final)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):  # document chunks: ciphertext, as stored
        return base64.b64encode(value).decode()
    return value


def _decoder(col: Any) -> Any:
    if isinstance(col.type, DateTime | UTCDateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(col.type, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(col.type, Uuid):
        return lambda v: None if v is None else uuid.UUID(v)
    if isinstance(col.type, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return lambda v: v


@contextmanager
def _snapshot(url: str) -> Iterator[Connection]:
    """A connection whose reads all see one moment of the database."""
    if url.startswith("sqlite"):
        source = make_url(url).database
        if not source or source == ":memory:":
            raise BackupError("only file databases can be backed up")
        with tempfile.TemporaryDirectory(prefix="calp-backup-") as tmp:
            copy = os.path.join(tmp, "snapshot.db")
            src, dst = sqlite3.connect(source), sqlite3.connect(copy)
            try:
                src.backup(dst)  # online: one consistent copy while writers go on
            finally:
                src.close()
                dst.close()
            engine = create_engine(f"sqlite:///{copy}")
            try:
                with engine.connect() as conn:
                    yield conn
            finally:
                engine.dispose()
        return
    from app.db import make_engine

    engine = make_engine(url)
    try:
        with (
            engine.connect().execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            ) as conn,
            conn.begin(),
        ):
            yield conn
    finally:
        engine.dispose()


def _alembic_revision(conn: Connection) -> str | None:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no schema yet
        return None


def write_backup(url: str, out: BinaryIO, data_key: str) -> dict[str, int]:
    """Dump every table into `out`, encrypted; returns the row count per table."""
    key = decode_key(data_key)
    salt, prefix = os.urandom(16), os.urandom(8)
    counts: dict[str, int] = {}
    with _snapshot(url) as conn:
        header = json.dumps(
            {
                "format": 1,
                "key_id": key_id(key),
                "salt": base64.b64encode(salt).decode(),
                "nonce_prefix": base64.b64encode(prefix).decode(),
                "revision": _alembic_revision(conn),
                "created_at": datetime.now(UTC).isoformat(),
            },
            sort_keys=True,
        ).encode()
        aead = _derive(key, salt)
        out.write(MAGIC + struct.pack(">I", len(header)) + header)
        index = 0

        def frame(payload: dict[str, Any] | None) -> None:
            nonlocal index
            plain = zlib.compress(json.dumps(payload, default=_encode).encode())
            sealed = aead.encrypt(
                _nonce(prefix, index), plain, _aad(header, index, payload is None)
            )
            out.write(struct.pack(">I", len(sealed)) + sealed)
            index += 1

        for table in raw_tables():
            names = [c.name for c in table.c]
            pk = list(table.primary_key.columns) or list(table.c)
            per_frame = _ROWS_PER_FRAME.get(table.name, ROWS_PER_FRAME)
            result = conn.execution_options(stream_results=True, yield_per=per_frame).execute(
                select(table).order_by(*pk)
            )
            counts[table.name] = 0
            for chunk in result.partitions(per_frame):
                rows = [[_encode(v) for v in row] for row in chunk]
                counts[table.name] += len(rows)
                frame({"table": table.name, "columns": names, "rows": rows})
        frame(None)  # the end marker: a file cut short has none
    return counts


def _read_frames(fh: BinaryIO, keys: list[str]) -> tuple[dict[str, Any], Iterator[Any]]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise BackupError("not a calp backup file")
    (hlen,) = struct.unpack(">I", fh.read(4))
    header = fh.read(hlen)
    meta = json.loads(header)
    by_id = {key_id(decode_key(k)): decode_key(k) for k in keys}
    if meta.get("key_id") not in by_id:
        raise BackupError(
            "the backup was made under a data key that is not configured "
            "(set it as CALP_DATA_KEY or in CALP_OLD_DATA_KEYS)"
        )
    aead = _derive(by_id[meta["key_id"]], base64.b64decode(meta["salt"]))
    prefix = base64.b64decode(meta["nonce_prefix"])

    def frames() -> Iterator[Any]:
        index = 0
        while True:
            size = fh.read(4)
            if len(size) < 4:
                raise BackupError("the backup file is truncated")
            sealed = fh.read(struct.unpack(">I", size)[0])
            for final in (False, True):
                try:
                    plain = aead.decrypt(_nonce(prefix, index), sealed, _aad(header, index, final))
                    break
                except InvalidTag:
                    continue
            else:
                raise BackupError("the backup file is damaged or was altered")
            payload = json.loads(zlib.decompress(plain))
            if final:
                return
            yield payload
            index += 1

    return meta, frames()


def _check_empty(conn: Connection, tables: list[Table]) -> None:
    for table in tables:
        if table.name in _SEEDED:
            continue
        n = conn.execute(select(func.count()).select_from(table)).scalar() or 0
        if n:
            raise BackupError(
                f"refusing to restore: the database is not empty (table {table.name} has {n} rows)"
            )


def restore_backup(engine: Engine, fh: BinaryIO, keys: list[str]) -> RestoreReport:
    """Load a backup into an EMPTY, migrated database, all or nothing."""
    meta, frames = _read_frames(fh, keys)
    tables = {t.name: t for t in raw_tables()}
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        revision = _alembic_revision(conn)
        if meta.get("revision") != revision:
            raise BackupError(
                f"the backup is of schema {meta.get('revision')}, the database "
                f"of {revision}: migrate to the same version first"
            )
        _check_empty(conn, list(tables.values()))
        for payload in frames:
            table = tables.get(payload["table"])
            if table is None:
                raise BackupError(f"the backup holds unknown table {payload['table']}")
            cols = [table.c[name] for name in payload["columns"]]
            decoders = [_decoder(c) for c in cols]
            rows = [
                {c.name: dec(v) for c, dec, v in zip(cols, decoders, row, strict=True)}
                for row in payload["rows"]
            ]
            if table.name in _SEEDED:
                for row in rows:
                    conn.execute(update(table).where(table.c.id == row["id"]).values(row))
            else:
                conn.execute(insert(table), rows)
            counts[table.name] = counts.get(table.name, 0) + len(rows)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, list(tables.values()))
        session = Session(bind=conn)
        damaged = damaged_documents(session)  # each one's chunks and hash, before COMMIT
        if damaged:
            raise BackupError(f"{len(damaged)} documents do not verify after the restore")
        record_cli_event(
            session,
            AuditAction.restore_backup,
            detail=f"tables={len(counts)}",
        )
        session.flush()
        session.close()
    return RestoreReport(tables=counts)


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Explicit ids were inserted: move each serial sequence past them."""
    for table in tables:
        for col in table.primary_key.columns:
            if col.autoincrement is True or (
                col.autoincrement == "auto" and col.type.python_type is int
            ):
                seq = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": col.name}
                ).scalar()
                if seq:
                    conn.execute(
                        text(
                            f"SELECT setval('{seq}', COALESCE((SELECT max({col.name})"
                            f" FROM {table.name}), 0) + 1, false)"
                        )
                    )


def backup_to_file(url: str, path: Path, data_key: str) -> dict[str, int]:
    """Write the backup next to `path` and move it into place only when complete."""
    tmp = path.with_name(path.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            counts = write_backup(url, out, data_key)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return counts
