"""`calp serve`: migrations first (in a child process), then uvicorn with the right proxy trust."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from app import cli
from app.config import get_settings
from tests import dbutil
from tests.conftest import TEST_DATA_KEY, TEST_SECRET

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def migrate_in_child() -> int:
        seen["migrated"] = True
        return seen.get("migration_status", 0)

    monkeypatch.setattr(cli, "migrate_in_child", migrate_in_child)
    monkeypatch.setattr(cli, "exec_server", lambda options: seen.update(served=True, **options))
    monkeypatch.setenv("CALP_ENV", "development")
    # The suite's own keys: `serve` installs the process-wide keyring before starting.
    monkeypatch.setenv("CALP_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("CALP_DATA_KEY", TEST_DATA_KEY)
    get_settings.cache_clear()
    yield seen
    get_settings.cache_clear()


def test_serve_migrates_then_trusts_no_proxy_by_default(calls, monkeypatch) -> None:
    monkeypatch.delenv("CALP_FORWARDED_ALLOW_IPS", raising=False)
    result = CliRunner().invoke(cli.cli, ["serve", "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert calls["migrated"] is True
    assert calls["port"] == 8123 and calls["workers"] == 2 and calls["server_header"] is False
    assert calls["proxy_headers"] is False and calls["forwarded_allow_ips"] is None


def test_serve_trusts_the_configured_proxy(calls, monkeypatch) -> None:
    monkeypatch.setenv("CALP_FORWARDED_ALLOW_IPS", "10.0.0.5")
    result = CliRunner().invoke(cli.cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls["proxy_headers"] is True and calls["forwarded_allow_ips"] == "10.0.0.5"
    assert calls["host"] == "127.0.0.1" and calls["workers"] == 1


def test_serve_does_not_start_when_the_migrations_fail(calls) -> None:
    calls["migration_status"] = 3
    result = CliRunner().invoke(cli.cli, ["serve"])
    assert result.exit_code == 3
    assert "no se inicia el servicio" in result.output and "served" not in calls


def test_production_serve_refuses_missing_secrets_before_migrating(calls, monkeypatch) -> None:
    monkeypatch.setenv("CALP_ENV", "production")
    monkeypatch.delenv("CALP_DATA_KEY")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli.cli, ["serve"])
    assert result.exit_code == 1 and "CALP_DATA_KEY es obligatoria" in result.output
    assert "migrated" not in calls and "served" not in calls


def test_a_failed_migration_stops_serve_with_a_message_and_no_secret(subprocess_env) -> None:
    # Nothing listens on port 1: the migration child fails to connect.
    env = subprocess_env("postgresql+psycopg://calp:pw-never-shown@127.0.0.1:1/calp")
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", "1"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "calp: las migraciones fallaron (OperationalError" in run.stderr
    assert "calp: no se inicia el servicio" in run.stderr and "sirviendo en" not in run.stdout
    assert "Traceback" not in run.stderr + run.stdout
    assert "pw-never-shown" not in run.stderr + run.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sqlalchemy_is_compiled() -> bool:
    import sqlalchemy

    return any(Path(sqlalchemy.__file__).parent.rglob("*.so"))


def _wait(until: Any, proc: subprocess.Popen[bytes], what: str, seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        result = until()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"{what}: serve exited with {proc.poll()} or took over {seconds} s")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_two_workers_serve_a_freshly_migrated_database_from_a_small_supervisor(
    subprocess_env, tmp_path
) -> None:
    """The real thing, once: an empty database is migrated before the port opens, and the
    supervisor holds no SQLAlchemy (its compiled extension is not mapped in the process)."""
    with dbutil.empty_database("serve") as url:
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
            env=subprocess_env(url),
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait(lambda: _listening(port), proc, "port never opened")
            # The pid is still the supervisor's: `serve` exec()s uvicorn after migrating.
            maps = Path(f"/proc/{proc.pid}/maps").read_text()
            if _sqlalchemy_is_compiled():
                assert "/sqlalchemy/" not in maps
            engine = create_engine(url)
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            engine.dispose()
            _wait(lambda: _healthy(port), proc, "no worker answered /healthz")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
