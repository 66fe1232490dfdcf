"""POST /api/v1/imports and the template: the same import behind the coordinators' API."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from app.catalogs import Role, Team
from app.imports import router as import_router
from app.victims.models import Victim
from tests.factories import make_user
from tests.imports.builders import csv_bytes, detection_row, detections_csv, victim_row, xlsx_bytes


@pytest.fixture
def coordinator(db, login_as):
    return login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))


def _victims(db, prefix):
    return db.scalar(
        select(func.count()).select_from(Victim).where(Victim.external_id.like(f"{prefix}%"))
    )


def test_csv_with_detections_file_is_imported(db, coordinator):
    files = {
        "file": ("casos.csv", csv_bytes([victim_row(1, case="AP-C1", victim_external_id="AP-V1")])),
        "detections": (
            "casos.detections.csv",
            detections_csv([detection_row(1, "AP-C1", detection_external_id="AP-D1")]),
        ),
    }
    resp = coordinator.post("/api/v1/imports", files=files)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["created"] == {"cases": 1, "victims": 1, "detections": 1}
    assert body["dry_run"] is False and _victims(db, "AP-") == 1


def test_bad_rows_answer_422_with_line_column_and_reason(db, coordinator):
    rows = [
        victim_row(1, case="AB-C1", victim_external_id="AB-V1"),
        victim_row(2, case="AB-C2", victim_external_id="AB-V2", sex="x"),
    ]
    resp = coordinator.post("/api/v1/imports", files={"file": ("f.xlsx", xlsx_bytes(rows))})
    assert resp.status_code == 422
    assert resp.json() == {
        "error": "validation_error",
        "code": "import_rows_invalid",
        "detail": [
            {
                "sheet": "victimas",
                "line": 3,
                "column": "sex",
                "message": "Sexo «x»: no es un valor admitido; use uno de: Femenino, Masculino",
            }
        ],
    }
    assert _victims(db, "AB-") == 0


def test_dry_run_form_field_stores_nothing(db, coordinator):
    resp = coordinator.post(
        "/api/v1/imports",
        data={"dry_run": "true"},
        files={
            "file": ("f.csv", csv_bytes([victim_row(1, case="AD-C1", victim_external_id="AD-V1")]))
        },
    )
    assert resp.status_code == 200 and resp.json()["dry_run"] is True
    assert resp.json()["created"]["victims"] == 1 and _victims(db, "AD-") == 0


def test_upload_over_the_limit_is_413(coordinator, monkeypatch):
    monkeypatch.setattr(import_router, "MAX_UPLOAD_BYTES", 100)
    resp = coordinator.post("/api/v1/imports", files={"file": ("f.csv", b"x" * 101)})
    assert resp.status_code == 413 and resp.json()["error"] == "too_large"


def test_a_file_that_is_no_spreadsheet_is_422(coordinator):
    resp = coordinator.post("/api/v1/imports", files={"file": ("f.xlsx", b"PK\x03\x04nope")})
    assert resp.status_code == 422 and resp.json()["error"] == "validation_error"


def _template_files(coordinator, fmt, rename=None):
    """The template's files as downloaded, its example ids optionally renamed."""
    template = coordinator.get("/api/v1/imports/template", params={"format": fmt})
    assert template.status_code == 200
    content = template.content
    if rename and fmt == "csv":
        content = content.replace(b"EJEMPLO-", rename.encode())
    elif rename:
        book = openpyxl.load_workbook(io.BytesIO(content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("EJEMPLO-"):
                        cell.value = rename + cell.value.removeprefix("EJEMPLO-")
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    files = {"file": (f"plantilla.{fmt}", content)}
    if fmt == "csv":
        det = coordinator.get(
            "/api/v1/imports/template", params={"format": "csv", "part": "detections"}
        )
        detections = det.content.replace(b"EJEMPLO-", rename.encode()) if rename else det.content
        files["detections"] = ("plantilla.detections.csv", detections)
    return files


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_example_row_is_refused_with_a_clear_message(db, coordinator, fmt):
    files = _template_files(coordinator, fmt)
    resp = coordinator.post("/api/v1/imports", files=files)
    assert resp.status_code == 422, resp.text
    problems = resp.json()["detail"]
    assert {p["sheet"] for p in problems} == {"victimas", "detecciones"}
    assert all("fila de ejemplo de la plantilla" in p["message"] for p in problems)
    assert _victims(db, "EJEMPLO-") == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_example_row_is_valid_once_its_ids_are_real(coordinator, fmt):
    files = _template_files(coordinator, fmt, rename="MI-")
    resp = coordinator.post("/api/v1/imports", data={"dry_run": "true"}, files=files)
    assert resp.status_code == 200, resp.text
    assert resp.json()["created"] == {"cases": 1, "victims": 1, "detections": 1}
