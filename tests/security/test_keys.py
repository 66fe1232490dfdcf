"""Production refuses guessable keys: short, undecodable, low-entropy or development keys.

Every command and `create_app` stop before anything starts, with one line that says how to
make a key; `CALP_OLD_DATA_KEYS` may still hold a weak key so it can be rotated out.
"""

from __future__ import annotations

import base64
import importlib
import os

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from app import cli
from app.config import SettingsError, get_settings, new_key
from app.main import create_app
from tests.conftest import TEST_DATA_KEY, TEST_SECRET, make_settings

STRONG = new_key()
WEAK = {
    "secret": "secret",
    "short": base64.urlsafe_b64encode(os.urandom(24)).decode(),  # 24 random bytes
    "repeated": "x" * 43,  # 32 bytes, but 3 distinct values
    "undecodable": "ñ" * 43,
    "test-suite key": TEST_SECRET,  # the suite's own development key
    "padded short": base64.urlsafe_b64encode(b"0123456789abcdef").decode(),
}


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'keys.db'}"


@pytest.mark.parametrize("field", ["secret_key", "data_key"])
@pytest.mark.parametrize("weak", WEAK.values(), ids=WEAK.keys())
def test_create_app_refuses_a_weak_key_in_production(url, field, weak) -> None:
    keys = {"secret_key": SecretStr(STRONG), "data_key": SecretStr(new_key())}
    keys[field] = SecretStr(weak)
    with pytest.raises(SettingsError) as info:
        create_app(make_settings(url, env="production", **keys))
    message = str(info.value)
    assert f"CALP_{field.upper()}" in message and "new_key()" in message
    assert "\n" not in message and weak not in message  # one line, the key never echoed


def test_a_development_key_from_var_is_refused_in_production(tmp_path, url) -> None:
    dev = make_settings(url, env="development", var_dir=tmp_path, secret_key=None, data_key=None)
    dev.ensure_keys()  # generates ./var/secret_key and ./var/data_key
    assert dev.secret_key is not None and dev.data_key is not None
    prod = make_settings(
        url,
        env="production",
        var_dir=tmp_path,
        secret_key=SecretStr(STRONG),
        data_key=SecretStr(dev.data_key.get_secret_value()),
    )
    with pytest.raises(SettingsError, match="CALP_DATA_KEY"):
        prod.ensure_keys()


def test_strong_keys_padded_or_not_start_and_old_keys_are_exempt(url) -> None:
    padded = base64.urlsafe_b64encode(os.urandom(32)).decode()
    assert padded.endswith("=")
    settings = make_settings(
        url,
        env="production",
        secret_key=SecretStr(padded),
        data_key=SecretStr(new_key()),
        old_data_keys=SecretStr(TEST_DATA_KEY),  # a weak key being rotated out
    )
    try:
        assert settings.ensure_keys() is settings
    finally:
        from app.crypto import configure_keyring

        configure_keyring(TEST_DATA_KEY)


def test_development_keeps_accepting_the_suite_keys(url) -> None:
    assert make_settings(url).ensure_keys().secret() == TEST_SECRET


def _full_cli():
    if "backup" not in {c.name for c in cli.cli.registered_commands}:
        for name in cli.COMMAND_MODULES:
            importlib.import_module(name).register(cli.cli)
    return cli.cli


COMMANDS = [
    ["serve"],
    ["migrate"],
    ["create-user", "someone", "--role", "lawyer", "--password-stdin"],
    ["create-token", "--role", "visualiser", "--name", "mapa"],
    ["import", "data.csv"],
    ["export", "out.csv"],
    ["backup", "out.bak"],
    ["restore", "in.bak"],
    ["audit", "verify"],
    ["rotate-data-key"],
    ["anonymise", "--closed-before", "2020-01-01"],
    ["demo-data"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_command_refuses_a_guessable_secret_key(argv, monkeypatch, tmp_path) -> None:
    """A token signed with "secret" cannot be accepted: nothing starts with that key."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CALP_ENV", "production")
    monkeypatch.setenv("CALP_DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    monkeypatch.setenv("CALP_SECRET_KEY", "secret")
    monkeypatch.setenv("CALP_DATA_KEY", new_key())
    monkeypatch.setattr(cli, "migrate_in_child", lambda: pytest.fail("migrated"))
    monkeypatch.setattr(cli, "exec_server", lambda options: pytest.fail("served"))
    (tmp_path / "in.bak").write_bytes(b"")
    (tmp_path / "data.csv").write_text("a\n")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(_full_cli(), argv, input="a-long-password-1\n")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "CALP_SECRET_KEY" in lines[0] and "new_key()" in lines[0]
    assert not (tmp_path / "never.db").exists()
