"""Hostile files on the real paths: `calp import` in a subprocess, and a running server that
keeps answering others while it refuses one."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn

from app.catalogs import Role, Team
from app.db import SessionDep, make_session_factory
from app.deps import Principal, get_principal
from app.main import create_app
from app.users.models import User
from tests.conftest import make_settings
from tests.factories import make_user
from tests.imports.builders import csv_bytes, victim_row
from tests.imports.hostile import blank_cells_csv
from tests.imports.test_cli import calp


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_cli_refuses_over_a_limit_in_one_line_and_reports_the_encoding(
    tmp_path, fresh_db, subprocess_env
):
    env = subprocess_env(fresh_db[0]) | {"CALP_IMPORT_MAX_ROWS": "3"}
    rows = [victim_row(n, given_names="Muñoz") for n in range(4)]
    big = tmp_path / "grande.csv"
    big.write_bytes(csv_bytes(rows))
    result = calp(env, "import", str(big), "--dry-run")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"calp: {big}: supera el límite de 3 filas; no se importó nada"
    ]

    latin = tmp_path / "latin.csv"
    latin.write_bytes(csv_bytes(rows[:3]).decode().encode("latin-1"))
    result = calp(env, "import", str(latin), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "codificación del CSV: Windows-1252 (detectada)" in result.stdout
    result = calp(env, "import", str(latin), "--dry-run", "--encoding", "latin-1")
    assert "codificación del CSV: Latin-1 (ISO-8859-1) (indicada)" in result.stdout
    assert "3 víctimas" in result.stdout

    stray = tmp_path / "stray.csv"
    stray.write_bytes(csv_bytes(rows[:3]).replace("Muñoz".encode(), b"Mu\xf1oz", 1))
    result = calp(env, "import", str(stray), "--dry-run")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "la línea 2 no es texto UTF-8 válido" in result.stderr


def test_server_answers_others_while_it_refuses_a_hostile_import(tmp_path, fresh_db):
    url, engine = fresh_db
    settings = make_settings(url, import_max_seconds=2.0, import_max_cells=10**9)
    app = create_app(settings, session_factory=make_session_factory(engine))
    factory = make_session_factory(engine)
    with factory() as db:
        coordinator = make_user(db, role=Role.coordinator, teams=[Team.lima])
        user_id = coordinator.id
        db.commit()

    def principal(session: SessionDep) -> Principal:
        return Principal(user=session.get_one(User, user_id), token=None)

    app.dependency_overrides[get_principal] = principal
    hostile = blank_cells_csv(tmp_path / "vacias.csv", 60)  # ~10 s of reading without limits
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert httpx.get(f"{base}/healthz").status_code == 200  # routes built on first use
        answer: dict[str, httpx.Response] = {}

        def upload() -> None:
            with hostile.open("rb") as fh:
                answer["import"] = httpx.post(
                    f"{base}/api/v1/imports", files={"file": ("vacias.csv", fh)}, timeout=60
                )

        importer = threading.Thread(target=upload)
        started = time.monotonic()
        importer.start()
        waits = []
        while importer.is_alive() and time.monotonic() - started < 60:
            t0 = time.monotonic()
            assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
            waits.append(time.monotonic() - t0)
            time.sleep(0.1)
        importer.join(timeout=5)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    resp = answer["import"]
    assert resp.status_code == 413 and "2 segundos de lectura" in resp.json()["detail"]
    # Answered all along (a stalled server would hit the 5 s timeout); the bound leaves room
    # for a loaded 2-core CI machine, where one answer once took 1.3 s.
    assert len(waits) >= 5 and max(waits) < 3.0, waits
