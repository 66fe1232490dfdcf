"""The /datos page: coordinators import (report beside the form) and export; others 403."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.catalogs import Role, Team
from tests.factories import make_user
from tests.imports.builders import csv_bytes, victim_row
from tests.web.helpers import csrf


def test_coordinator_imports_and_sees_every_bad_row(db, login_as):
    client = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    token = csrf(client, "/datos")
    bad = csv_bytes([victim_row(1, case="W-C1", victim_external_id="W-V1", sex="x"),
                     victim_row(2, case="W-C2", victim_external_id="W-V2", team="puno")])
    resp = client.post("/datos/importar", data={"csrf_token": token},
                       files={"file": ("f.csv", bad, "text/csv")})
    assert resp.status_code == 422
    assert "línea 2, columna sex" in resp.text and "línea 3, columna team" in resp.text
    good = csv_bytes([victim_row(1, case="W-C1", victim_external_id="W-V1")])
    resp = client.post("/datos/importar", data={"csrf_token": token, "dry_run": "true"},
                       files={"file": ("f.csv", good, "text/csv")})
    assert resp.status_code == 200 and "se importarían" in resp.text


def test_coordinator_exports_with_a_reason(db, login_as):
    client = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    token = csrf(client, "/datos")
    resp = client.post("/datos/exportar", data={"csrf_token": token, "reason": "",
                                                "format": "xlsx", "shape": "calp"})
    assert resp.status_code == 422
    resp = client.post("/datos/exportar", data={"csrf_token": token, "reason": "Informe",
                                                "format": "xlsx", "shape": "htcds"})
    assert resp.status_code == 200
    assert load_workbook(io.BytesIO(resp.content)).sheetnames == ["victimas", "detecciones"]


def test_staff_may_not_open_the_page(db, login_as):
    client = login_as(make_user(db, role=Role.lawyer, teams=[Team.lima]))
    assert client.get("/datos").status_code == 403
    assert client.get("/datos/plantilla").status_code == 403
