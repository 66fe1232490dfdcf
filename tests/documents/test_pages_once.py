"""The upload form is single-use like every create form: the same form sent twice (reload,
back, double click) stores one copy and goes to the page the first went to. Its submission
token rides in the form's action URL (the fields arrive inside the streamed body)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalogs import Role, Team
from app.db import make_session_factory
from app.documents.models import Document
from app.main import create_app
from tests.conftest import make_settings
from tests.documents import samples
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import sent_together, sign_in

_ACTION = re.compile(r'action="([^"]*/documentos\?submission_token=[^"]+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _form(client, url: str) -> tuple[str, str]:
    """The rendered upload form's action (with its token) and CSRF token."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    action = _ACTION.search(page.text)
    assert action, "the upload form carries no submission token"
    return html.unescape(action.group(1)), _CSRF.search(page.text).group(1)


def _send(client, action: str, csrf: str, **form):
    return client.post(
        action,
        data={"csrf_token": csrf} | samples.form(**form),
        files={"file": ("a.pdf", samples.pdf(), "application/pdf")},
        follow_redirects=False,
    )


def _count(db, victim) -> int:
    return db.scalar(select(func.count()).where(Document.victim_id == victim.id)) or 0


def test_every_rendering_gets_a_new_token(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.lawyer))
    url = f"/victimas/{victim.id}/documentos"
    assert _form(client, url)[0] != _form(client, url)[0]


def test_the_same_form_sent_twice_stores_one_copy(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.lawyer))
    action, csrf = _form(client, f"/victimas/{victim.id}/documentos")
    first = _send(client, action, csrf)
    second = _send(client, action, csrf)
    assert first.status_code == second.status_code == 303, second.text
    assert second.headers["location"] == first.headers["location"]
    assert _count(db, victim) == 1
    # A new rendering of the form is a new upload.
    action, csrf = _form(client, f"/victimas/{victim.id}/documentos")
    assert _send(client, action, csrf).status_code == 303
    assert _count(db, victim) == 2


def test_a_refused_upload_can_be_sent_again_corrected(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.lawyer))
    action, csrf = _form(client, f"/victimas/{victim.id}/documentos")
    bad = _send(client, action, csrf, kind="not_a_kind")
    assert bad.status_code == 422
    assert _ACTION.search(bad.text)  # the form again, with a token of its own
    good = _send(client, action, csrf)
    assert good.status_code == 303, good.text
    assert _count(db, victim) == 1


def test_a_post_without_a_token_is_stored_as_before(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.lawyer))
    url = f"/victimas/{victim.id}/documentos"
    _, csrf = _form(client, url)
    for _ in range(2):
        assert _send(client, url, csrf).status_code == 303
    assert _count(db, victim) == 2


def test_two_uploads_sent_together_store_one(fresh_db) -> None:
    """Both claim the token in a worker thread: the second waits for the first to commit,
    then stores nothing and goes to the first one's page (the event loop never waits)."""
    url, engine = fresh_db
    app = create_app(make_settings(url), session_factory=make_session_factory(engine))
    with Session(bind=engine, expire_on_commit=False) as db:
        user = make_user(db, role=Role.lawyer, teams=[Team.lima])
        victim = make_victim(db, case=make_case(db, team=Team.lima))
        db.commit()
    clients = [TestClient(app) for _ in range(2)]
    for client in clients:
        assert sign_in(client, user.username).status_code == 303
    page = f"/victimas/{victim.id}/documentos"
    action, _ = _form(clients[0], page)
    csrf = [_form(c, page)[1] for c in clients]
    answers = sent_together(clients, lambda i, client: _send(client, action, csrf[i]))
    for client in clients:
        client.close()
    assert answers[0] == answers[1] and answers[0].startswith("303 /victimas/"), answers
    with Session(bind=engine) as db:
        assert _count(db, victim) == 1
