"""Issue 17 (9e): `calp` speaks Spanish (help, messages, typer's own words), while the lines
other programs read keep their shape; `create-user --password-stdin` is never temporary."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

ENGLISH = ("Usage:", "Show this message", "Options", "Commands", "Missing option", "Apply ")


def _calp(env: dict[str, str] | None, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_and_usage_errors_are_in_spanish(subprocess_env, tmp_path):
    env = subprocess_env(f"sqlite:///{tmp_path / 'x.db'}") | {"COLUMNS": "200"}
    main = _calp(env, "--help")
    assert main.returncode == 0
    for word in ("Uso:", "Opciones", "Órdenes", "Muestra esta ayuda", "Crea una cuenta"):
        assert word in main.stdout, word
    sub = _calp(env, "create-user", "--help")
    assert "Leer la contraseña de la entrada estándar" in sub.stdout
    wrong = _calp(env, "create-user", "alguien")
    assert wrong.returncode == 2 and "Falta la opción '--role'" in wrong.stderr
    for out in (main.stdout, sub.stdout, wrong.stderr):
        assert not any(w in out for w in ENGLISH), out


def test_create_user_answers_in_spanish_and_is_not_temporary(fresh_db, subprocess_env):
    url, engine = fresh_db
    env = subprocess_env(url)
    args = ("create-user", "ana.cli", "--role", "lawyer", "--team", "lima")
    refused = _calp(env, *args)
    assert refused.returncode == 1 and "use --password-stdin" in refused.stderr
    short = _calp(env, *args, "--password-stdin", stdin="corta\n")
    assert short.returncode == 1 and "datos de la cuenta no válidos: password" in short.stderr
    assert "corta" not in short.stderr
    made = _calp(env, *args, "--password-stdin", stdin="una-clave-propia-larga\n")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "calp: cuenta creada: ana.cli (lawyer)"
    with engine.connect() as conn:
        forced = conn.execute(
            text("SELECT must_change_password FROM users WHERE username = 'ana.cli'")
        ).scalar()
    assert not forced
    again = _calp(env, *args, "--password-stdin", stdin="una-clave-propia-larga\n")
    assert again.returncode == 1 and "no se pudo crear la cuenta 'ana.cli'" in again.stderr


def test_create_token_keeps_the_token_alone_on_its_last_line(fresh_db, subprocess_env):
    url, _ = fresh_db
    made = _calp(subprocess_env(url), "create-token", "--role", "visualiser", "--name", "Mapa")
    assert made.returncode == 0, made.stderr
    *before, last = made.stdout.strip().splitlines()
    assert " " not in last and last.startswith("calp_")
    assert before[-1].startswith("calp: token del visualizador")
