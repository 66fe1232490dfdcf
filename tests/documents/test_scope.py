"""Who may see a document: the victim's team (404 elsewhere), never admin (403), and a
psychological one only those who may read that narrative (for others: not listed, 404)."""

from __future__ import annotations

import pytest

from app.catalogs import FollowUpKind, Role, Team
from tests.documents import samples
from tests.factories import make_case, make_user, make_victim
from tests.work_factories import make_follow_up


def ids(client, victim) -> list[str]:
    resp = client.get(f"/api/v1/victims/{victim.id}/documents")
    assert resp.status_code == 200, resp.text
    return [d["id"] for d in resp.json()["items"]]


def test_other_team_gets_404_and_admin_403(db, login_as) -> None:
    victim = make_victim(db)
    doc = samples.upload(login_as(make_user(db, role=Role.lawyer)), victim.id).json()

    outsider = login_as(make_user(db, role=Role.lawyer, teams=[Team.cusco]))
    for path in (f"/api/v1/documents/{doc['id']}", f"/api/v1/documents/{doc['id']}/content"):
        assert outsider.get(path).status_code == 404
    assert outsider.get(f"/api/v1/victims/{victim.id}/documents").status_code == 404
    other_victim = make_victim(db, case=make_case(db, team=Team.cusco))
    assert samples.upload(outsider, victim.id).status_code == 404
    assert samples.upload(outsider, other_victim.id).status_code == 201

    admin = login_as(make_user(db, role=Role.admin))
    assert admin.get(f"/api/v1/documents/{doc['id']}/content").status_code == 403
    assert admin.get(f"/api/v1/victims/{victim.id}/documents").status_code == 403
    assert samples.upload(admin, victim.id).status_code == 403

    coordinator = login_as(make_user(db, role=Role.coordinator))
    assert coordinator.get(f"/api/v1/documents/{doc['id']}/content").status_code == 200
    assert samples.upload(coordinator, victim.id).status_code == 403


@pytest.mark.parametrize("attached", [False, True])
def test_psychological_documents_are_hidden_from_lawyers(db, login_as, attached) -> None:
    victim = make_victim(db)
    psychologist = make_user(db, role=Role.psychologist)
    author = login_as(psychologist)
    if attached:
        follow_up = make_follow_up(db, victim, author=psychologist, kind=FollowUpKind.psychological)
        extra = {"kind": "other", "record_type": "follow_up", "record_id": str(follow_up.id)}
    else:
        extra = {"kind": "psychological_report"}
    hidden = samples.upload(author, victim.id, **extra).json()
    shown = samples.upload(author, victim.id, kind="complaint").json()

    for role in (Role.lawyer, Role.social_worker, Role.coordinator):
        client = login_as(make_user(db, role=role))
        assert ids(client, victim) == [shown["id"]]
        for path in ("", "/content"):
            resp = client.get(f"/api/v1/documents/{hidden['id']}{path}")
            assert resp.status_code == 404 and resp.json()["code"] == "document_not_found"

    colleague = login_as(make_user(db, role=Role.psychologist))
    assert set(ids(colleague, victim)) == {hidden["id"], shown["id"]}
    assert colleague.get(f"/api/v1/documents/{hidden['id']}/content").status_code == 200


def test_the_author_of_a_psychological_report_keeps_reading_it(db, login_as) -> None:
    victim = make_victim(db)
    client = login_as(make_user(db, role=Role.social_worker))
    doc = samples.upload(client, victim.id, kind="psychological_report").json()
    assert ids(client, victim) == [doc["id"]]
    assert client.get(f"/api/v1/documents/{doc['id']}/content").status_code == 200
