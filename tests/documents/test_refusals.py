"""Uploads refused: types not allowed, types not matching their bytes, files over the limit
(413 while streaming), broken forms. Nothing is stored, and nothing touches the disk."""

from __future__ import annotations

import tempfile

import pytest
import starlette.formparsers
from sqlalchemy import func, select

from app.catalogs import Role
from app.documents.models import Document, DocumentChunk
from tests.documents import samples
from tests.factories import make_user, make_victim


def stored(db) -> tuple[int, int]:
    return (
        db.scalar(select(func.count()).select_from(Document)),
        db.scalar(select(func.count()).select_from(DocumentChunk)),
    )


@pytest.fixture
def no_spooling(monkeypatch):
    """Any temporary file (Starlette's spooled uploads included) fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a temporary file was made for an upload")

    for target in (tempfile, starlette.formparsers):
        monkeypatch.setattr(target, "SpooledTemporaryFile", refuse, raising=False)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)


@pytest.fixture
def lawyer_client(db, login_as):
    return login_as(make_user(db, role=Role.lawyer))


GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
ZIP = samples._zip([("hola.txt", "hola")])


@pytest.mark.parametrize(
    ("content", "declared"),
    [
        (GIF, "image/gif"),
        (ZIP, "application/zip"),
        (b"<html><script>alert(1)</script></html>\xff\xfe", "text/html"),
        (b"texto con un NUL \x00 dentro", "text/plain"),
        (b"\xff\xd8\xff\xdb" + b"\x00" * 20, "text/plain"),  # a JPEG start declared as text
    ],
)
def test_types_not_allowed_are_422_and_nothing_is_stored(
    db, lawyer_client, no_spooling, content, declared
) -> None:
    victim = make_victim(db)
    before = stored(db)
    resp = samples.upload(lawyer_client, victim.id, content, name="x.bin", content_type=declared)
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] in ("document_type_not_allowed", "document_type_mismatch")
    assert stored(db) == before


def test_invalid_utf8_after_the_first_chunk_is_refused(db, lawyer_client) -> None:
    victim = make_victim(db)
    content = b"a" * 200_000 + b"\xc3"  # a character cut at the very end
    resp = samples.upload(
        lawyer_client, victim.id, content, name="a.txt", content_type="text/plain"
    )
    assert resp.status_code == 422 and resp.json()["code"] == "document_type_not_allowed"
    assert stored(db) == (0, 0)


@pytest.mark.parametrize(
    ("content", "declared"),
    [
        (samples.pdf(), "image/png"),
        (samples.png(), "application/pdf"),
        (samples.docx(), samples.XLSX),
        (samples.text(), "application/pdf"),
    ],
)
def test_a_type_that_is_not_the_declared_one_is_422(db, lawyer_client, content, declared) -> None:
    victim = make_victim(db)
    resp = samples.upload(lawyer_client, victim.id, content, content_type=declared)
    assert resp.status_code == 422 and resp.json()["code"] == "document_type_mismatch"
    assert stored(db) == (0, 0)


def test_an_undeclared_type_is_taken_from_the_bytes(db, lawyer_client) -> None:
    victim = make_victim(db)
    resp = samples.upload(
        lawyer_client,
        victim.id,
        samples.png(),
        name="foto",
        content_type="application/octet-stream",
    )
    assert resp.status_code == 201 and resp.json()["content_type"] == "image/png"
    assert resp.json()["file_name"] == "foto"


def test_oversize_is_413_while_streaming_and_nothing_is_stored(
    db, app, lawyer_client, no_spooling
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"max_document_mb": 1})
    victim = make_victim(db)
    content = samples.pdf() + b"0" * (1024 * 1024)

    def body():  # chunked: no Content-Length to refuse it by
        boundary = b"XyZ"
        yield b'--XyZ\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        yield b'--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nT\r\n'
        yield (
            b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n"
        )
        for i in range(0, len(content), 65536):
            yield content[i : i + 65536]
        yield b"\r\n--" + boundary + b"--\r\n"

    resp = lawyer_client.post(
        f"/api/v1/victims/{victim.id}/documents",
        content=body(),
        headers={"Content-Type": "multipart/form-data; boundary=XyZ"},
    )

    assert resp.status_code == 413, resp.text
    assert resp.json()["code"] == "file_too_large"
    assert stored(db) == (0, 0)


def test_a_declared_length_over_the_limit_is_413_before_reading(db, app, lawyer_client) -> None:
    app.state.settings = app.state.settings.model_copy(update={"max_document_mb": 1})
    victim = make_victim(db)
    resp = samples.upload(lawyer_client, victim.id, samples.pdf() + b"0" * (2 * 1024 * 1024))
    assert resp.status_code == 413 and stored(db) == (0, 0)


def test_a_2_mb_upload_is_never_spooled(db, lawyer_client, no_spooling) -> None:
    victim = make_victim(db)
    content = samples.pdf() + b"1" * (2 * 1024 * 1024)
    resp = samples.upload(lawyer_client, victim.id, content)
    assert resp.status_code == 201, resp.text
    assert lawyer_client.get(f"/api/v1/documents/{resp.json()['id']}/content").content == content


@pytest.mark.parametrize(
    ("data", "files", "code"),
    [
        ({"kind": "other", "title": "T"}, None, "document_file_required"),
        ({"kind": "nope", "title": "T"}, "pdf", "enum"),
        ({"kind": "other"}, "pdf", "missing"),
        ({"kind": "other", "title": "T", "extra": "x"}, "pdf", "extra_forbidden"),
        ({"kind": "other", "title": "T\x00"}, "pdf", "string_nul_character"),
        ({"kind": "other", "title": "T"}, "empty", "document_file_empty"),
    ],
)
def test_forms_that_break_the_rules_are_422(db, lawyer_client, data, files, code) -> None:
    victim = make_victim(db)
    content = {"pdf": samples.pdf(), "empty": b""}.get(files or "")
    kwargs = {"files": {"file": ("a.pdf", content, "application/pdf")}} if files else {}
    if not files:
        kwargs = {"files": {"other": (None, "x")}}
    resp = lawyer_client.post(f"/api/v1/victims/{victim.id}/documents", data=data, **kwargs)
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == code
    assert stored(db) == (0, 0)


def test_a_body_that_is_not_multipart_is_422(db, lawyer_client) -> None:
    victim = make_victim(db)
    resp = lawyer_client.post(f"/api/v1/victims/{victim.id}/documents", json={"kind": "other"})
    assert resp.status_code == 422 and resp.json()["code"] == "document_form_invalid"
