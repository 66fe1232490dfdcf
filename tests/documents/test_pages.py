"""The "Documentos" page: list, upload from the form (CSRF checked from the stream),
refusals shown beside the field, download and delete through the shared pages."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.catalogs import Role
from app.documents.models import Document
from tests.documents import samples
from tests.documents.factories import make_document
from tests.factories import make_user, make_victim


def _token(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def test_staff_upload_from_the_page_and_download_it(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.lawyer))
    url = f"/victimas/{victim.id}/documentos"
    token = _token(client, url)

    resp = client.post(
        url,
        data={"csrf_token": token} | samples.form(kind="fiscal_resolution"),
        files={"file": ("disposición.pdf", samples.pdf(), "application/pdf")},
        follow_redirects=False,
    )

    assert resp.status_code == 303, resp.text
    page = client.get(url).text
    assert "Denuncia ante la comisaría" in page and "Disposición fiscal" in page
    [doc] = db.scalars(select(Document).where(Document.victim_id == victim.id))
    got = client.get(f"/documentos/{doc.id}/descargar")
    assert got.status_code == 200 and got.content == samples.pdf()
    assert got.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert f"/eliminar/documento/{doc.id}" in page


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.lawyer))
    _token(client, f"/victimas/{victim.id}/documentos")  # the cookie is set
    for data in (samples.form(), {"csrf_token": "forged"} | samples.form()):
        resp = client.post(
            f"/victimas/{victim.id}/documentos",
            data=data,
            files={"file": ("a.pdf", samples.pdf(), "application/pdf")},
        )
        assert resp.status_code == 403
    assert db.scalar(select(func.count()).select_from(Document)) == 0


def test_a_refused_type_is_explained_beside_the_file(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.lawyer))
    url = f"/victimas/{victim.id}/documentos"
    resp = client.post(
        url,
        data={"csrf_token": _token(client, url)} | samples.form(),
        files={"file": ("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")},
    )
    assert resp.status_code == 422
    assert "Tipo de archivo no admitido" in resp.text and 'id="err-file"' in resp.text
    assert db.scalar(select(func.count()).select_from(Document)) == 0


def test_delete_from_the_page_and_the_deleted_records_page_lists_it(db, login_as) -> None:
    victim = make_victim(db)
    lawyer = make_user(db, role=Role.lawyer)
    doc = make_document(db, victim, author=lawyer, title="Título reservado")
    client = login_as(lawyer)
    confirm = client.get(f"/eliminar/documento/{doc.id}")
    assert confirm.status_code == 200 and "Título reservado" not in confirm.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', confirm.text).group(1)
    resp = client.post(
        f"/eliminar/documento/{doc.id}",
        data={"csrf_token": token, "version": str(doc.version)},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    client = login_as(make_user(db, role=Role.coordinator))
    deleted = client.get("/registros-eliminados").text
    assert "Denuncia" in deleted and "Título reservado" not in deleted


def test_psychological_reports_are_not_listed_for_a_lawyer(db, login_as) -> None:
    victim = make_victim(db)
    psychologist = make_user(db, role=Role.psychologist)
    from app.catalogs import DocumentKind

    hidden = make_document(
        db, victim, author=psychologist, kind=DocumentKind.psychological_report, title="Informe X"
    )
    client = login_as(make_user(db, role=Role.lawyer))
    page = client.get(f"/victimas/{victim.id}/documentos").text
    assert "Informe X" not in page and "Sin documentos guardados" in page
    assert client.get(f"/documentos/{hidden.id}/descargar").status_code == 404
    assert client.get(f"/victimas/{victim.id}").text.count("/documentos") >= 1
