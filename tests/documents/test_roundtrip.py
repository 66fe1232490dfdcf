"""Upload, list, metadata and download: the bytes come back identical for every type."""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import Role
from app.documents.models import Document, DocumentChunk
from app.documents.storage import CHUNK_SIZE
from tests.documents import samples
from tests.factories import make_user, make_victim


@pytest.mark.parametrize(("name", "declared", "content", "found"), samples.ALL_TYPES)
def test_round_trip_is_byte_identical(db, login_as, name, declared, content, found) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.lawyer))

    resp = samples.upload(client, victim.id, content, name=name, content_type=declared)

    assert resp.status_code == 201, resp.text
    doc = resp.json()
    assert doc["content_type"] == found and doc["size"] == len(content)
    assert doc["sha256"] == hashlib.sha256(content).hexdigest()
    assert doc["title"] == "Denuncia ante la comisaría" and doc["kind"] == "complaint"
    assert doc["author"]["id"] and doc["version"] == 1
    listed = client.get(f"/api/v1/victims/{victim.id}/documents").json()["items"]
    assert [d["id"] for d in listed] == [doc["id"]]
    assert client.get(f"/api/v1/documents/{doc['id']}").json()["file_name"] == name

    got = client.get(f"/api/v1/documents/{doc['id']}/content")

    assert got.status_code == 200 and got.content == content
    assert got.headers["content-disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert got.headers["content-type"].startswith(found)


def test_large_file_spans_chunks_and_every_download_is_audited(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.social_worker))
    content = samples.pdf() + bytes(range(256)) * (3 * CHUNK_SIZE // 256) + b"fin"

    doc = samples.upload(client, victim.id, content, name="Resolución ñ.pdf").json()

    of_doc = DocumentChunk.document_id == uuid.UUID(doc["id"])
    chunks = db.scalar(select(func.count()).select_from(DocumentChunk).where(of_doc))
    assert chunks == 4
    for _ in range(2):
        assert client.get(f"/api/v1/documents/{doc['id']}/content").content == content
    reads = db.scalars(
        select(AuditEvent).where(
            AuditEvent.record_id == doc["id"], AuditEvent.action == AuditAction.read_document
        )
    ).all()
    assert len(reads) == 2
    created = db.scalars(
        select(AuditEvent).where(
            AuditEvent.record_id == doc["id"], AuditEvent.action == AuditAction.create
        )
    ).one()
    text = " ".join(created.fields) + (created.detail or "")
    assert "Resolución" not in text and "Denuncia" not in text


def test_delete_hides_it_and_a_coordinator_restores_it(db, login_as) -> None:
    victim = make_victim(db)
    lawyer, coordinator = make_user(db, role=Role.lawyer), make_user(db, role=Role.coordinator)
    client = login_as(lawyer)
    doc = samples.upload(client, victim.id).json()

    assert client.delete(f"/api/v1/documents/{doc['id']}", params={"version": 1}).status_code == 204
    assert client.get(f"/api/v1/victims/{victim.id}/documents").json()["items"] == []
    assert client.get(f"/api/v1/documents/{doc['id']}/content").status_code == 404

    client = login_as(coordinator)
    restored = client.post(f"/api/v1/documents/{doc['id']}/restore", json={"version": 2})
    assert restored.status_code == 200, restored.text
    assert client.get(f"/api/v1/documents/{doc['id']}/content").content == samples.pdf()
    assert db.get(Document, uuid.UUID(restored.json()["id"])).deleted_at is None


def test_attached_to_a_record_of_the_victim_only(db, login_as) -> None:
    from tests.work_factories import make_referral

    victim, other = make_victim(db), make_victim(db)
    referral, foreign = make_referral(db, victim), make_referral(db, other)
    client = login_as(make_user(db, role=Role.lawyer))

    ok = samples.upload(client, victim.id, record_type="referral", record_id=str(referral.id))
    assert ok.status_code == 201 and ok.json()["record_id"] == str(referral.id)
    bad = samples.upload(client, victim.id, record_type="referral", record_id=str(foreign.id))
    assert bad.status_code == 422 and bad.json()["code"] == "document_record_unknown"
    half = samples.upload(client, victim.id, record_type="plan")
    assert half.status_code == 422 and half.json()["code"] == "document_record_required"
