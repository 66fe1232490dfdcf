"""Documents in the security commands: a backup carries them and a restore brings them back
identical (and refuses one that does not verify), a key rotation re-seals every chunk, and
anonymisation deletes the documents of the victims it anonymises."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select, update

from app.cases.models import Case
from app.catalogs import CaseStatus, CloseReason, Role
from app.config import new_key
from app.crypto import configure_keyring
from app.db import SessionDep, make_session_factory
from app.deps import Principal, get_principal
from app.documents.models import Document, DocumentChunk
from app.documents.storage import CHUNK_SIZE, cipher
from app.main import create_app
from app.security.backup import BackupError, restore_backup, write_backup
from app.security.integrity import verify_ciphertexts
from app.security.retention import anonymise
from app.security.rotation import rotate, stale_values
from app.users.models import User
from tests import dbutil
from tests.conftest import TEST_DATA_KEY, make_settings
from tests.documents import samples
from tests.factories import make_case, make_user, make_victim

CONTENT = samples.pdf() + bytes(range(256)) * (2 * CHUNK_SIZE // 256) + b"fin"


def _client(url: str, user_id: uuid.UUID, key: str = TEST_DATA_KEY) -> TestClient:
    app = create_app(make_settings(url, data_key=SecretStr(key)))  # (configures the keyring)

    def principal(session: SessionDep) -> Principal:
        return Principal(user=session.get_one(User, user_id), token=None)

    app.dependency_overrides[get_principal] = principal
    return TestClient(app)


def _seed(url: str, engine, *, closed_on: date | None = None) -> tuple[uuid.UUID, dict]:
    with make_session_factory(engine)() as s:
        user = make_user(s, role=Role.lawyer)
        case = make_case(s)
        victim = make_victim(s, case=case)
        s.commit()
        user_id, victim_id, case_id = user.id, victim.id, case.id
    with _client(url, user_id) as client:
        doc = samples.upload(client, victim_id, CONTENT).json()
    if closed_on is not None:  # closed after the upload, as a case is
        with make_session_factory(engine)() as s:
            case = s.get_one(Case, case_id)
            case.status, case.closed_on = CaseStatus.closed, closed_on
            case.close_reason = CloseReason.goals_met
            s.commit()
    return user_id, doc


def _download(url: str, user_id: uuid.UUID, doc_id: str, key: str = TEST_DATA_KEY) -> bytes:
    with _client(url, user_id, key) as client:
        resp = client.get(f"/api/v1/documents/{doc_id}/content")
        assert resp.status_code == 200, resp.text
        return resp.content


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_backup_then_restore_gives_identical_documents(fresh_db) -> None:
    url, engine = fresh_db
    user_id, doc = _seed(url, engine)
    buf = io.BytesIO()
    write_backup(url, buf, TEST_DATA_KEY)
    assert samples.MARKER.encode() not in buf.getvalue()
    with dbutil.migrated_database("restore") as (target_url, target):
        report = restore_backup(target, io.BytesIO(buf.getvalue()), [TEST_DATA_KEY])
        assert report.tables["document_chunks"] == 3 and report.tables["documents"] == 1
        restored = _download(target_url, user_id, doc["id"])
        assert hashlib.sha256(restored).hexdigest() == doc["sha256"]
        assert restored == CONTENT


def test_a_restore_whose_documents_do_not_verify_is_refused_whole(fresh_db) -> None:
    url, engine = fresh_db
    _seed(url, engine)
    with engine.begin() as conn:  # a chunk damaged in the source: the backup carries it
        conn.execute(
            update(DocumentChunk).where(DocumentChunk.position == 1).values(data=b"\x00" * 64)
        )
    with engine.connect() as conn:  # and `calp audit verify` names it
        [problem] = verify_ciphertexts(conn)
    assert problem.startswith("document_chunks: 1 stored values fail to verify")
    buf = io.BytesIO()
    write_backup(url, buf, TEST_DATA_KEY)
    with dbutil.migrated_database("restore") as (_, target):
        with pytest.raises(BackupError, match="documents do not verify"):
            restore_backup(target, io.BytesIO(buf.getvalue()), [TEST_DATA_KEY])
        assert _count(target, Document) == 0  # nothing half restored


def test_rotation_reseals_every_chunk_and_the_new_key_alone_reads_them(fresh_db) -> None:
    url, engine = fresh_db
    user_id, doc = _seed(url, engine)
    new = new_key()
    try:
        configure_keyring(new, [TEST_DATA_KEY])
        before = stale_values(engine)
        assert before >= 3 + 3  # three chunks, and title, file name and hash
        report = rotate(engine, batch_size=1)
        assert report.rows["document_chunks"] == 3 and report.rows["documents"] == 1
        assert stale_values(engine) == 0
        configure_keyring(new)  # the old key retired
        with engine.connect() as conn:
            kids = set(conn.execute(select(DocumentChunk.key_id)).scalars())
        assert kids == {cipher().active_id}
        assert _download(url, user_id, doc["id"], new) == CONTENT
        with make_session_factory(engine)() as s:
            stored = s.get_one(Document, uuid.UUID(doc["id"]))
            assert stored.title == "Denuncia ante la comisaría" and stored.sha256 == doc["sha256"]
    finally:
        configure_keyring(TEST_DATA_KEY)


def test_anonymise_deletes_the_documents_of_anonymised_victims(fresh_db) -> None:
    url, engine = fresh_db
    _, closed = _seed(url, engine, closed_on=date(2024, 6, 30))
    user_id, kept = _seed(url, engine)
    report = anonymise(engine, date(2024, 7, 1))
    assert report.cases == 1 and report.documents_deleted == 1
    with engine.connect() as conn:
        left = set(conn.execute(select(Document.id)).scalars())
        chunk_docs = set(conn.execute(select(DocumentChunk.document_id)).scalars())
    assert left == chunk_docs == {uuid.UUID(kept["id"])}
    assert _download(url, user_id, kept["id"]) == CONTENT
