"""Nothing of a document is readable at rest: not its bytes, name, title or hash in the
SQLite file or its WAL, nor in the log; and stored chunks cut, reordered, swapped or
altered are refused whole (409), never sent in part."""

from __future__ import annotations

import hashlib
import logging
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import make_url

from app.catalogs import Role
from app.db import SessionDep
from app.deps import Principal, get_principal
from app.documents.models import Document, DocumentChunk
from app.documents.storage import CHUNK_SIZE
from app.main import create_app
from app.users.models import User
from tests import dbutil
from tests.conftest import make_settings
from tests.documents import samples
from tests.factories import make_user, make_victim

NAME = "Declaracion-Quispe-Mamani.pdf"
TITLE = "Informe sobre Rosalinda Quispe Mamani"
TEXT_NAME = "Notas-Huaman-Ccori.txt"


@pytest.mark.skipif(dbutil.BACKEND != "sqlite", reason="reads the SQLite file and its WAL")
def test_database_file_wal_and_log_hold_no_plaintext(fresh_db, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    url, _ = fresh_db
    app = create_app(make_settings(url))
    factory = app.state.session_factory
    with factory() as s:
        user_id, victim_id = make_user(s, role=Role.lawyer).id, make_victim(s).id
        s.commit()

    def principal(session: SessionDep) -> Principal:
        return Principal(user=session.get_one(User, user_id), token=None)

    app.dependency_overrides[get_principal] = principal
    pdf, text = samples.pdf(), samples.text()
    with TestClient(app) as client:
        a = samples.upload(client, victim_id, pdf, name=NAME, title=TITLE)
        b = samples.upload(
            client, victim_id, text, name=TEXT_NAME, content_type="text/plain", title=TITLE
        )
        assert a.status_code == b.status_code == 201
        assert client.get(f"/api/v1/documents/{a.json()['id']}/content").content == pdf
        assert client.get(f"/api/v1/documents/{b.json()['id']}/content").content == text

    path = Path(make_url(url).database or "")
    stored = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    assert len(stored) > 100_000
    secrets = [
        samples.MARKER,
        NAME,
        TEXT_NAME,
        TITLE,
        "Quispe",
        hashlib.sha256(pdf).hexdigest(),
        hashlib.sha256(text).hexdigest(),
    ]
    for secret in secrets:
        for encoded in (secret.encode(), secret.encode("utf-16-le")):
            assert encoded not in stored, secret
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in secrets:
        assert secret not in logged, secret


@pytest.fixture
def three_chunks(db, login_as):
    client = login_as(make_user(db, role=Role.lawyer))
    victim = make_victim(db)
    content = samples.pdf() + b"x" * (2 * CHUNK_SIZE + 10)
    doc = samples.upload(client, victim.id, content).json()
    other = samples.upload(client, victim.id, content).json()
    return client, uuid.UUID(doc["id"]), uuid.UUID(other["id"])


def _chunk(db, doc_id, position):
    return db.execute(
        select(DocumentChunk.key_id, DocumentChunk.data).where(
            DocumentChunk.document_id == doc_id, DocumentChunk.position == position
        )
    ).one()


def _set(db, doc_id, position, data):
    db.execute(
        update(DocumentChunk)
        .where(DocumentChunk.document_id == doc_id, DocumentChunk.position == position)
        .values(data=data)
    )


def swap(db, doc_id, other_id):
    first, second = _chunk(db, doc_id, 0), _chunk(db, doc_id, 1)
    _set(db, doc_id, 0, second.data)
    _set(db, doc_id, 1, first.data)


def transplant(db, doc_id, other_id):
    _set(db, doc_id, 1, _chunk(db, other_id, 1).data)  # same position, other document


def truncate(db, doc_id, other_id):
    db.execute(
        delete(DocumentChunk).where(
            DocumentChunk.document_id == doc_id, DocumentChunk.position == 2
        )
    )


def truncate_and_recount(db, doc_id, other_id):
    truncate(db, doc_id, other_id)
    db.execute(update(Document).where(Document.id == doc_id).values(chunk_count=2))


def append(db, doc_id, other_id):
    row = _chunk(db, doc_id, 2)
    db.execute(
        insert(DocumentChunk).values(
            document_id=doc_id, position=3, key_id=row.key_id, data=row.data
        )
    )


def flip(db, doc_id, other_id):
    data = bytearray(_chunk(db, doc_id, 1).data)
    data[40] ^= 1
    _set(db, doc_id, 1, bytes(data))


@pytest.mark.parametrize("tamper", [swap, transplant, truncate, truncate_and_recount, append, flip])
def test_tampered_chunks_refuse_the_download_whole(db, three_chunks, tamper) -> None:
    client, doc_id, other_id = three_chunks
    tamper(db, doc_id, other_id)
    db.flush()

    resp = client.get(f"/api/v1/documents/{doc_id}/content")

    assert resp.status_code == 409, resp.status_code
    assert resp.json()["code"] == "document_damaged"
    assert b"%PDF" not in resp.content and b"xxxx" not in resp.content
    assert client.get(f"/api/v1/documents/{other_id}/content").status_code == 200
