"""`calp serve`: migrations first, then uvicorn with the right proxy trust."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from app import cli
from app.config import get_settings
from tests.conftest import TEST_DATA_KEY, TEST_SECRET


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(cli, "run_migrations", lambda settings: seen.setdefault("migrated", True))
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
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
    assert calls["app"] == "app.asgi:app" and calls["port"] == 8123 and calls["workers"] == 2
    assert calls["proxy_headers"] is False and calls["forwarded_allow_ips"] is None


def test_serve_trusts_the_configured_proxy(calls, monkeypatch) -> None:
    monkeypatch.setenv("CALP_FORWARDED_ALLOW_IPS", "10.0.0.5")
    result = CliRunner().invoke(cli.cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls["proxy_headers"] is True and calls["forwarded_allow_ips"] == "10.0.0.5"
    assert calls["host"] == "127.0.0.1"
