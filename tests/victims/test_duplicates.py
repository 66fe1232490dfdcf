"""Possible duplicates at intake and search by document: nothing leaks across teams."""

from __future__ import annotations

import base64

import pytest

from app.catalogs import Role, Team
from app.crypto import configure_keyring
from tests.conftest import TEST_DATA_KEY
from tests.factories import make_case, make_user
from tests.victims.test_router import payload


def _register(client, case, number, **identity):
    return client.post(
        f"/api/v1/cases/{case.id}/victims",
        json=payload(
            identity={
                "given_names": "Nombre",
                "family_names": "Apellido",
                "document_number": number,
                **identity,
            }
        ),
    )


@pytest.fixture
def teams(db, login_as):
    """A Cusco victim known by document 44556677, and a Lima worker about to register."""
    cusco_case = make_case(db, team=Team.cusco)
    cusco_staff = make_user(db, teams=[Team.cusco])
    _register(
        login_as(cusco_staff),
        cusco_case,
        "44556677",
        given_names="Secreta",
        phone="+51 911 222 333",
    )
    return cusco_case, make_user(db, teams=[Team.lima])


class TestPossibleDuplicates:
    def test_names_only_case_code_and_team_of_the_other_victim(self, db, login_as, teams):
        cusco_case, lima_staff = teams
        client = login_as(lima_staff)
        resp = _register(client, make_case(db), "44-556-677")  # same number, other spelling
        assert resp.status_code == 201
        assert resp.json()["possible_duplicates"] == [
            {"case_code": cusco_case.code, "team": "cusco"}
        ]
        for leaked in ("Secreta", "911 222 333", str(cusco_case.id)):
            assert leaked not in resp.text
        # The Cusco record itself stays out of reach of the Lima worker.
        victims = client.get(f"/api/v1/cases/{cusco_case.id}/victims")
        assert victims.status_code == 404
        search = client.post("/api/v1/victims/search", json={"document_number": "44556677"})
        assert [v["id"] for v in search.json()["items"]] == [resp.json()["id"]]

    def test_different_number_or_deleted_victim_is_no_duplicate(self, db, login_as, teams):
        cusco_case, lima_staff = teams
        client = login_as(lima_staff)
        assert _register(client, make_case(db), "44556678").json()["possible_duplicates"] == []
        cusco_victims = (
            login_as(make_user(db, teams=[Team.cusco]))
            .get(f"/api/v1/cases/{cusco_case.id}/victims")
            .json()["items"]
        )
        victim = cusco_victims[0]
        login_as(make_user(db, teams=[Team.cusco])).delete(
            f"/api/v1/victims/{victim['id']}", params={"version": victim["version"]}
        )
        # Another name too: the Lima person registered above would match by name.
        again = _register(
            login_as(lima_staff), make_case(db), "44556677", given_names="Otra", family_names="Más"
        )
        assert again.json()["possible_duplicates"] == []


class TestSearchByDocument:
    def test_finds_own_team_victims_only(self, db, login_as, teams):
        _, lima_staff = teams
        client = login_as(lima_staff)
        mine = _register(client, make_case(db), "44556677").json()
        resp = client.post("/api/v1/victims/search", json={"document_number": "44556677"})
        assert resp.status_code == 200
        assert [v["id"] for v in resp.json()["items"]] == [mine["id"]]
        assert "identity" not in resp.json()["items"][0]
        coordinator = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
        assert (
            len(
                coordinator.post(
                    "/api/v1/victims/search", json={"document_number": "44556677"}
                ).json()["items"]
            )
            == 1
        )

    def test_still_finds_rows_indexed_under_the_old_key(self, db, login_as, teams):
        _, lima_staff = teams
        client = login_as(lima_staff)
        mine = _register(client, make_case(db), "80808080").json()
        new_key = base64.urlsafe_b64encode(b"n" * 32).decode().rstrip("=")
        configure_keyring(new_key, [TEST_DATA_KEY])  # rotation under way: rows not re-indexed
        try:
            resp = client.post("/api/v1/victims/search", json={"document_number": "80808080"})
        finally:
            configure_keyring(TEST_DATA_KEY)
        assert [v["id"] for v in resp.json()["items"]] == [mine["id"]]

    def test_empty_number_is_invalid(self, db, login_as):
        resp = login_as(make_user(db)).post("/api/v1/victims/search", json={"document_number": ""})
        assert resp.status_code == 422
