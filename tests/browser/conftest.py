"""A real server (uvicorn in a thread, own migrated database) and one Chromium per session.

Playwright drives Debian's Chromium (`/usr/bin/chromium`): `playwright install` cannot
download browsers here. Tests are skipped, not failed, only when that binary is missing.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.orm import Session

from app.catalogs import Role, Team
from app.db import make_session_factory
from app.main import create_app
from tests import dbutil
from tests.conftest import make_settings
from tests.factories import make_user

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}  # the phone size the issues check pages at


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Site:
    """The running server and the people who use it (all with the factories' password)."""

    def __init__(self, url: str, engine: object) -> None:
        self.url = url
        self.engine = engine
        self.users: dict[str, str] = {}

    def session(self) -> Session:
        return Session(bind=self.engine)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    with dbutil.migrated_database("browser") as (url, engine):
        settings = make_settings(url)
        app = create_app(settings, session_factory=make_session_factory(engine))
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "server did not start"
        running = Site(f"http://127.0.0.1:{port}", engine)
        with running.session() as db:
            for name, role, teams in (
                ("psico.lima", Role.psychologist, [Team.lima]),
                ("abogada.cusco", Role.lawyer, [Team.cusco]),
                ("coord.lima", Role.coordinator, [Team.lima]),
                ("admin.calp", Role.admin, []),
            ):
                make_user(
                    db,
                    role=role,
                    teams=teams,
                    username=name,
                    full_name=name.split(".")[0].capitalize(),
                )
                running.users[name] = role.value
            db.commit()
        try:
            yield running
        finally:
            server.should_exit = True
            thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: object, site: Site) -> Iterator[object]:
    """A fresh browser context (own cookies) per person; closed after the test."""
    contexts = []

    def _open() -> object:
        context = browser.new_context(
            viewport=DESKTOP,
            accept_downloads=True,  # type: ignore[attr-defined]
            locale="es-PE",
        )
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def shoot(page: object, name: str) -> None:
    """Save the page at desktop and phone widths (artifacts/screenshots, gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)  # type: ignore[attr-defined]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size(PHONE)  # type: ignore[attr-defined]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size(DESKTOP)  # type: ignore[attr-defined]


def sign_in(page: object, site: Site, username: str) -> None:
    from tests.factories import PASSWORD

    page.goto(site.url + "/")  # type: ignore[attr-defined]
    page.get_by_label("Usuario", exact=True).fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Entrar").click()  # type: ignore[attr-defined]
    page.wait_for_url(site.url + "/")  # type: ignore[attr-defined]
