"""Helpers for the web tests: CSRF tokens from rendered pages, cookie sign-in."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.factories import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def csrf(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of a page (fetching it also sets the browser's CSRF cookie)."""
    resp = client.get(path)
    assert resp.status_code == 200, resp.status_code
    return csrf_from(resp.text)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, **extra: str):
    token = csrf(client)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, **extra},
        follow_redirects=False,
    )


def post_form(client: TestClient, page: str, action: str, data: dict[str, object]):
    """Open a form page, then post to `action` with that page's token."""
    token = csrf(client, page)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def sent_together(
    clients: list[TestClient], send: Callable[[int, TestClient], object]
) -> list[str]:
    """Run `send(i, client)` for every client at the same moment (threads behind a
    barrier); each answer as "<status> <location>"."""
    barrier = threading.Barrier(len(clients))
    answers = [""] * len(clients)

    def run(i: int) -> None:
        barrier.wait()
        resp = send(i, clients[i])
        answers[i] = f"{resp.status_code} {resp.headers.get('location')}"  # type: ignore[attr-defined]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return answers
