"""Issue 17 (1): a create form submitted twice, even at the same moment, records once."""

from __future__ import annotations

import re
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import Role, Team
from app.db import make_session_factory
from app.main import create_app
from app.protection.models import ProtectionMeasure
from app.web import once
from app.web.models import SubmissionToken
from tests.conftest import make_settings
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import csrf_from, sent_together, sign_in

_SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')
CASE = {"team": "lima", "opened_on": "2024-05-02", "referred_by": "fiscalia"}


def _form(client: TestClient, path: str) -> dict[str, str]:
    """The hidden tokens of a rendered create form."""
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    match = _SUBMISSION.search(page.text)
    assert match, "the form carries no submission token"
    return {"csrf_token": csrf_from(page.text), "submission_token": match.group(1)}


def _cases(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(Case)) or 0)


class TestSecondSubmit:
    def test_every_rendering_of_a_form_gets_a_new_token(self, db, login_as):
        client = login_as(make_user(db, role=Role.lawyer))
        assert _form(client, "/casos/nuevo") != _form(client, "/casos/nuevo")

    def test_second_case_submit_creates_nothing_and_shows_the_first_case(self, db, login_as):
        client = login_as(make_user(db, role=Role.lawyer))
        hidden = _form(client, "/casos/nuevo")
        before = _cases(db)
        first = client.post("/casos/nuevo", data={**CASE, **hidden}, follow_redirects=False)
        second = client.post("/casos/nuevo", data={**CASE, **hidden}, follow_redirects=False)
        assert first.status_code == second.status_code == 303
        assert second.headers["location"] == first.headers["location"]
        assert _cases(db) == before + 1

    def test_a_refused_form_can_be_sent_again_corrected(self, db, login_as):
        client = login_as(make_user(db, role=Role.lawyer))
        hidden = _form(client, "/casos/nuevo")
        bad = client.post("/casos/nuevo", data={**hidden, "team": "lima"}, follow_redirects=False)
        assert bad.status_code == 422
        assert _SUBMISSION.search(bad.text)  # the form again, with a token of its own
        good = client.post("/casos/nuevo", data={**CASE, **hidden}, follow_redirects=False)
        assert good.status_code == 303 and "/casos/" in good.headers["location"]

    def test_victim_records_are_single_use_too(self, db, login_as):
        victim = make_victim(db)
        client = login_as(make_user(db, role=Role.lawyer))
        path = f"/victimas/{victim.id}/medidas/registrar"
        hidden = _form(client, path)
        data = {**hidden, "kind": "shelter", "institution": "car", "granted_on": "2024-05-03"}
        for _ in range(2):
            assert client.post(path, data=data, follow_redirects=False).status_code == 303
        count = select(func.count()).where(ProtectionMeasure.victim_id == victim.id)
        assert db.scalar(count) == 1

    @pytest.mark.parametrize(
        "path",
        [
            "/casos/nuevo",
            "/admin/usuarios/nuevo",
            "/admin/tokens",
        ],
    )
    def test_plain_create_forms_carry_a_token(self, db, login_as, path):
        role = Role.admin if path.startswith("/admin") else Role.lawyer
        client = login_as(make_user(db, role=role))
        _form(client, path)

    def test_victim_create_forms_carry_a_token(self, db, login_as):
        case = make_case(db)
        victim = make_victim(db, case=case)
        client = login_as(make_user(db, role=Role.lawyer))
        for path in (
            f"/casos/{case.id}/victimas/nueva",
            f"/casos/{case.id}/detecciones/nueva",
            f"/victimas/{victim.id}/seguimientos/nuevo",
            f"/victimas/{victim.id}/planes/nuevo",
            f"/victimas/{victim.id}/derivaciones/nuevo",
            f"/victimas/{victim.id}/medidas/registrar",
            f"/victimas/{victim.id}/consentimientos/registrar",
        ):
            _form(client, path)


@pytest.fixture
def live(fresh_db):
    """An app on a database of its own, committing for real (two requests at once)."""
    url, engine = fresh_db
    app = create_app(make_settings(url), session_factory=make_session_factory(engine))
    with Session(bind=engine, expire_on_commit=False) as db:
        user = make_user(db, role=Role.lawyer, teams=[Team.lima])
        db.commit()
    yield app, engine, user


class TestAtTheSameMoment:
    def test_a_claim_waits_for_the_first_and_then_goes_to_its_page(self, live):
        _, engine, user = live
        factory = make_session_factory(engine)
        token = "t" * 43
        with factory() as first:
            assert once.claim(first, token, user) is None
            first.flush()
            first.execute(
                SubmissionToken.__table__.update()
                .where(SubmissionToken.token == token)
                .values(url="/casos/x?aviso=creado")
            )
            result: list[str | None] = []

            def second() -> None:
                with factory() as other:
                    result.append(once.claim(other, token, user))
                    other.rollback()

            thread = threading.Thread(target=second)
            thread.start()
            time.sleep(0.5)
            assert thread.is_alive(), "the second claim must wait for the first"
            first.commit()
            thread.join(timeout=30)
        assert result == ["/casos/x?aviso=creado"]

    def test_two_submits_sent_together_record_one_case(self, live):
        app, engine, user = live
        clients = [TestClient(app) for _ in range(2)]
        for client in clients:
            assert sign_in(client, user.username).status_code == 303
        hidden = _form(clients[0], "/casos/nuevo")
        csrf = [csrf_from(c.get("/casos/nuevo").text) for c in clients]

        def send(i: int, client: TestClient) -> object:
            data = {**CASE, **hidden, "csrf_token": csrf[i]}
            return client.post("/casos/nuevo", data=data, follow_redirects=False)

        answers = sent_together(clients, send)
        for client in clients:
            client.close()
        assert answers[0] == answers[1] and answers[0].startswith("303 /casos/"), answers
        with Session(bind=engine) as db:
            assert _cases(db) == 1
