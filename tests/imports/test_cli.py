"""`calp import` and `calp export` in a subprocess, against a database of the test's own."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction, AuditEvent
from app.victims.models import Victim
from tests.imports.builders import csv_bytes, detection_row, detections_csv, victim_row


def calp(env, *args):
    return subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_imports_reports_bad_rows_and_exports(tmp_path, fresh_db, subprocess_env):
    url, engine = fresh_db
    env = subprocess_env(url)
    bad = tmp_path / "malo.csv"
    bad.write_bytes(csv_bytes([victim_row(1), victim_row(2, intake_on="2024-13-01")]))
    result = calp(env, "import", str(bad))
    assert result.returncode == 1
    assert (
        "línea 3, columna intake_on: Fecha de ingreso «2024-13-01»: no es una fecha"
        in result.stderr
    )
    assert "no se importó nada" in result.stderr

    good = tmp_path / "bueno.csv"
    good.write_bytes(csv_bytes([victim_row(1, case="C1"), victim_row(2, case="C1")]))
    (tmp_path / "bueno.detections.csv").write_bytes(detections_csv([detection_row(1, "C1")]))
    result = calp(env, "import", str(good))
    assert result.returncode == 0, result.stderr
    assert "1 casos, 2 víctimas, 1 detecciones" in result.stdout

    out = tmp_path / "salida.csv"
    result = calp(env, "export", str(out), "--reason", "prueba", "--shape", "calp")
    assert result.returncode == 0, result.stderr
    assert out.exists() and (tmp_path / "salida.detections.csv").exists()
    assert "V1" in out.read_text(encoding="utf-8-sig")
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Victim)) == 2
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        assert actions == [AuditAction.import_, AuditAction.export]


def test_cli_writes_the_template(tmp_path, fresh_db, subprocess_env):
    env = subprocess_env(fresh_db[0])
    target = tmp_path / "plantilla.xlsx"
    assert calp(env, "import", "--template", str(target)).returncode == 0
    # Its example row is refused, so filling the template below it counts nothing fictitious.
    result = calp(env, "import", str(target), "--dry-run")
    assert result.returncode != 0
    assert "línea 2, columna case_external_id: es la fila de ejemplo" in result.stderr
