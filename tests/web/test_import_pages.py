"""`/importar`: coordinators validate or import a file and read the report as a table
(línea, columna, motivo); export with a reason; other roles 403; CSRF required."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.catalogs import Role, Team
from app.victims.models import Victim
from tests.factories import make_user
from tests.imports.builders import csv_bytes, detection_row, detections_csv, victim_row, xlsx_bytes
from tests.web.helpers import csrf


def _victims(db) -> int:
    return db.scalar(select(func.count()).select_from(Victim))


def _text(resp) -> str:
    return re.sub(r"\s+", " ", resp.text)


def _coordinator(db, login_as, team=Team.lima):
    client = login_as(make_user(db, role=Role.coordinator, teams=[team]))
    return client, csrf(client, "/importar")


def test_bad_rows_are_a_table_of_line_column_and_reason_and_nothing_is_stored(db, login_as):
    client, token = _coordinator(db, login_as)
    before = _victims(db)
    bad = csv_bytes(
        [
            victim_row(1, case="P-C1", victim_external_id="P-V1", sex="x"),
            victim_row(2, case="P-C2", victim_external_id="P-V2", team="puno"),
            victim_row(3, case="P-C3", victim_external_id="P-V3"),
        ]
    )
    resp = client.post(
        "/importar", data={"csrf_token": token}, files={"file": ("f.csv", bad, "text/csv")}
    )
    assert resp.status_code == 422
    rows = re.findall(
        r'data-label="Línea" class="num">(\d+)</td>\s*'
        r'<td data-label="Columna"><code>([a-z_]+)</code>',
        resp.text,
    )
    assert ("2", "sex") in rows and ("3", "team") in rows  # another team's row is refused
    assert "No se importó nada: 2 problema(s)" in resp.text
    assert _victims(db) == before


def test_dry_run_then_import_of_csv_with_detections(db, login_as):
    client, token = _coordinator(db, login_as)
    before = _victims(db)
    good = csv_bytes(
        [
            victim_row(1, case="Q-C1", victim_external_id="Q-V1"),
            victim_row(2, case="Q-C1", victim_external_id="Q-V2"),
        ]
    )
    det = detections_csv([detection_row(1, "Q-C1", detection_external_id="Q-D1")])
    files = {"file": ("f.csv", good, "text/csv"), "detections": ("d.csv", det, "text/csv")}
    resp = client.post("/importar", data={"csrf_token": token, "dry_run": "true"}, files=files)
    assert resp.status_code == 200, resp.text
    assert "Se importarían 1 caso(s), 2 víctima(s) y 1 detección(es)" in _text(resp)
    assert 'name="dry_run" value="true" checked' in resp.text  # the choice is kept
    assert _victims(db) == before
    resp = client.post("/importar", data={"csrf_token": token}, files=files)
    assert resp.status_code == 200 and "Se importaron 1 caso(s), 2 víctima(s)" in _text(resp)
    assert _victims(db) == before + 2


def test_xlsx_upload_and_missing_or_unreadable_file(db, login_as):
    client, token = _coordinator(db, login_as)
    book = xlsx_bytes([victim_row(1, case="R-C1", victim_external_id="R-V1")])
    resp = client.post(
        "/importar",
        data={"csrf_token": token, "dry_run": "true"},
        files={"file": ("f.xlsx", book, "application/octet-stream")},
    )
    assert resp.status_code == 200 and "1 víctima(s)" in _text(resp)
    resp = client.post("/importar", data={"csrf_token": token, "dry_run": "true"})
    assert resp.status_code == 422 and 'id="err-file"' in resp.text
    assert 'name="dry_run" value="true" checked' in resp.text
    resp = client.post(
        "/importar",
        data={"csrf_token": token},
        files={"file": ("f.xlsx", b"PK not a workbook", "application/zip")},
    )
    assert resp.status_code == 422 and "No se pudo leer" in resp.text


def test_export_needs_a_reason_keeps_values_and_is_audited(db, login_as):
    client, token = _coordinator(db, login_as)
    resp = client.post(
        "/importar/exportar",
        data={"csrf_token": token, "reason": "", "format": "csv", "shape": "htcds"},
    )
    assert resp.status_code == 422 and 'id="err-reason"' in resp.text
    assert '<option value="csv" selected>' in resp.text
    assert '<option value="htcds" selected>' in resp.text
    resp = client.post(
        "/importar/exportar",
        data={"csrf_token": token, "reason": "Informe anual", "format": "xlsx", "shape": "calp"},
    )
    assert resp.status_code == 200
    assert "attachment" in resp.headers["content-disposition"]
    assert len(load_workbook(io.BytesIO(resp.content)).worksheets) == 2
    detail = db.scalars(select(AuditEvent.detail).where(AuditEvent.action == "export")).all()
    assert detail and all("Informe" not in (d or "") for d in detail)


def test_template_link_and_roles(db, login_as):
    client, _ = _coordinator(db, login_as)
    page = client.get("/importar").text
    link = re.search(r'href="(/importar/plantilla\?format=xlsx)"', page)
    assert link and client.get(link.group(1)).status_code == 200
    for role in (Role.psychologist, Role.admin, Role.visualiser):
        other = login_as(make_user(db, role=role))
        assert other.get("/importar").status_code == 403
    staff = login_as(make_user(db, role=Role.lawyer))
    token = csrf(staff, "/casos")
    resp = staff.post(
        "/importar",
        data={"csrf_token": token},
        files={"file": ("f.csv", csv_bytes([victim_row(9)]), "text/csv")},
    )
    assert resp.status_code == 403


def test_post_without_csrf_is_refused(db, login_as):
    client, _ = _coordinator(db, login_as)
    before = _victims(db)
    resp = client.post(
        "/importar",
        files={
            "file": (
                "f.csv",
                csv_bytes([victim_row(1, case="S-C1", victim_external_id="S-V1")]),
                "text/csv",
            )
        },
    )
    assert resp.status_code == 403
    resp = client.post(
        "/importar/exportar", data={"reason": "Informe", "format": "xlsx", "shape": "calp"}
    )
    assert resp.status_code == 403
    assert _victims(db) == before
