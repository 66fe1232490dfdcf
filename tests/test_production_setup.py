"""The production set-up (compose.yaml, Dockerfile, secrets) holds what the README promises.

Docker has no engine on every machine that runs the suite, so the files are checked as
data; `docker compose config` also runs where the compose plugin is installed.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import TEST_DATA_KEY, TEST_SECRET

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {"calp_secret_key", "calp_data_key", "calp_database_password"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_services_and_the_service_runs_locked_down(compose):
    services = compose["services"]
    assert {"calp", "db", "backup"} <= services.keys()
    for name in ("calp", "backup"):
        svc = services[name]
        assert svc["read_only"] is True, name
        uid = str(svc["user"]).split(":")[0]
        assert uid.isdigit() and int(uid) != 0, name
        assert any(str(t).startswith("/tmp") for t in svc["tmpfs"]), name
    calp = services["calp"]
    assert _env(calp)["CALP_WORKERS"] == "2"
    assert "--workers ${CALP_WORKERS" in (ROOT / "Dockerfile").read_text()
    assert _env(calp)["CALP_ENV"] == "production"


def test_postgresql_is_unpublished_on_a_volume_with_a_healthcheck(compose):
    db = compose["services"]["db"]
    assert "ports" not in db and "expose" not in db
    assert "network_mode" not in db
    for network in db["networks"]:
        assert compose["networks"][network].get("internal") is True
    data = [v for v in db["volumes"] if str(v).endswith(":/var/lib/postgresql/data")]
    assert len(data) == 1 and data[0].split(":")[0] in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert compose["services"]["calp"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_backup_and_audit_verify_run_on_a_schedule(compose):
    backup = compose["services"]["backup"]
    script = " ".join([*backup.get("entrypoint", []), *backup["command"]])
    assert "while true" in script and re.search(r"sleep \d+", script)
    assert script.index("calp backup") < script.index("calp audit verify")
    targets = {str(v).split(":")[1] for v in backup["volumes"]}
    assert {"/srv/calp/backups", "/srv/calp/var"} <= targets  # backups and the audit anchor


def test_keys_are_docker_secrets_never_literals(compose):
    declared = compose["secrets"]
    assert declared.keys() == SECRETS
    for spec in declared.values():
        assert spec["file"].startswith("./secrets/")
    assert set(compose["services"]["calp"]["secrets"]) == SECRETS
    assert compose["services"]["db"]["secrets"] == ["calp_database_password"]
    assert "POSTGRES_PASSWORD" not in _env(compose["services"]["db"])
    for svc in compose["services"].values():
        env = _env(svc)
        assert not {"CALP_SECRET_KEY", "CALP_DATA_KEY", "CALP_DATABASE_PASSWORD"} & env.keys()
        url = env.get("CALP_DATABASE_URL", "")
        assert ":" not in url.split("//")[-1].split("@")[0], "a password in the URL"
    text = (ROOT / "compose.yaml").read_text()
    assert not re.search(r"[A-Za-z0-9_-]{40,}", text), "something that looks like a key"
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "secrets/calp_data_key"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0, "secrets/ must be git-ignored"
    assert "secrets/" in (ROOT / ".dockerignore").read_text().split()


def test_dockerfile_runs_unprivileged_and_installs_the_locked_versions():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    installs = [line for line in lines if "pip install" in line]
    assert installs and all("-c constraints.txt" in line for line in installs)
    assert any(line.startswith("COPY") and "constraints.txt" in line for line in lines)
    assert not any(line.startswith(("COPY", "ADD")) and "secrets" in line for line in lines)


def _settings_in_child(env: dict[str, str]) -> list[str]:
    code = (
        "from app.config import get_settings\n"
        "s = get_settings()\n"
        "print(s.secret_key.get_secret_value()); print(s.data_key.get_secret_value())\n"
        "print(s.database_url)\n"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("CALP_")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.splitlines()


def test_settings_read_docker_secrets_and_variables_still_win(tmp_path):
    (tmp_path / "calp_secret_key").write_text(TEST_SECRET + "\n")
    (tmp_path / "calp_data_key").write_text(TEST_DATA_KEY + "\n")
    (tmp_path / "calp_database_password").write_text("p@ss/word\n")
    env = {
        "CALP_ENV": "development",  # the key-strength rules are not what this tests
        "CALP_SECRETS_DIR": str(tmp_path),
        "CALP_VAR_DIR": str(tmp_path / "var"),
        "CALP_DATABASE_URL": "postgresql+psycopg://calp@db:5432/calp",
    }
    secret, data, url = _settings_in_child(env)
    assert (secret, data) == (TEST_SECRET, TEST_DATA_KEY)
    assert url == "postgresql+psycopg://calp:p%40ss%2Fword@db:5432/calp"
    assert not (tmp_path / "var").exists()  # nothing generated: the files were used

    other = base64.urlsafe_b64encode(b"o" * 32).decode().rstrip("=")
    secret, _, url = _settings_in_child(
        {**env, "CALP_SECRET_KEY": other, "CALP_DATABASE_URL": "postgresql://u:given@h/d"}
    )
    assert secret == other
    assert url == "postgresql://u:given@h/d"  # a password in the URL is kept


def test_make_secrets_creates_random_keys_once(tmp_path):
    target = tmp_path / "secrets"
    script = ROOT / "scripts" / "make-secrets.sh"
    subprocess.run(["bash", str(script), str(target)], check=True, capture_output=True)
    files = {p.name: p for p in target.iterdir()}
    assert files.keys() == SECRETS
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    values = {}
    for name, path in files.items():
        values[name] = path.read_text().strip()
        assert len(base64.urlsafe_b64decode(values[name] + "=")) == 32
    assert len(set(values.values())) == 3
    again = subprocess.run(["bash", str(script), str(target)], check=True, capture_output=True)
    assert b"kept" in again.stdout
    assert {n: p.read_text().strip() for n, p in files.items()} == values


@pytest.mark.skipif(shutil.which("docker") is None, reason="no docker client")
def test_docker_compose_accepts_the_file(tmp_path):
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode:
        pytest.skip("no docker compose plugin")
    shutil.copy(ROOT / "compose.yaml", tmp_path / "compose.yaml")
    (tmp_path / "secrets").mkdir()
    for name in SECRETS:
        (tmp_path / "secrets" / name).write_text("placeholder\n")
    subprocess.run(["docker", "compose", "config", "--quiet"], cwd=tmp_path, check=True)
