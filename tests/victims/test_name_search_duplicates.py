"""Duplicates at intake by name, sex and birth year/age (and document): the API, the web
form's check before saving, and imports. Other teams: case code and team only, strong
matches only, each disclosure audited and counted in the hourly limit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.audit.service import record_event
from app.catalogs import Role, Team
from app.imports.reader import read_upload
from app.imports.service import import_sheets
from app.victims.disclosure import PER_HOUR
from app.victims.models import Victim
from tests.factories import make_case, make_user
from tests.imports.builders import csv_bytes, victim_row
from tests.victims.test_name_search import disclosures, register
from tests.web.helpers import csrf, post_form

KEYS_IN_OTHER_TEAMS = {"case_code", "team"}


@pytest.fixture
def earlier(db, login_as):
    """María Quispe Mamani, 15 in 2019, attended in Lima and again (16) in Cusco."""
    lima_case = make_case(db, team=Team.lima)
    cusco_case = make_case(db, team=Team.cusco)
    lima = register(
        login_as(make_user(db, teams=[Team.lima])),
        lima_case,
        "María",
        "Quispe Mamani",
        age=15,
        intake_on="2019-04-02",
    )
    cusco = register(
        login_as(make_user(db, teams=[Team.cusco])),
        cusco_case,
        "Maria",
        "Quispe Mamani",
        age=16,
        intake_on="2020-05-10",
    )
    return {"lima": (lima_case, lima), "cusco": (cusco_case, cusco)}


def _by_team(duplicates):
    return {d["team"]: d for d in duplicates}


class TestApi:
    def test_typo_and_swapped_order_found_in_both_teams(self, db, login_as, earlier):
        worker = make_user(db, teams=[Team.lima])
        client = login_as(worker)
        again = register(
            client, make_case(db), "Mamani María", "Kispe", age=20, intake_on="2024-03-12"
        )
        found = _by_team(again["possible_duplicates"])
        lima_case, lima = earlier["lima"]
        mine = found["lima"]
        assert mine["case_code"] == lima_case.code and mine["victim_code"] == lima["code"]
        assert 0 < mine["score"] <= 1 and mine["matched_on"][0] == "name"
        assert set(found["cusco"]) == KEYS_IN_OTHER_TEAMS
        assert found["cusco"]["case_code"] == earlier["cusco"][0].code
        (event,) = disclosures(db, worker)
        assert (event.record_id, event.detail) == (earlier["cusco"][1]["id"], "intake")

    def test_different_people_are_no_duplicates(self, db, login_as, earlier):
        client = login_as(make_user(db, teams=[Team.lima]))
        case = make_case(db)
        cases = [
            ("Rosa", "Quispe Mamani", {"age": 15, "intake_on": "2019-04-02"}),  # other given
            ("María", "Quispe Mamani", {"age": 40, "intake_on": "2024-03-12"}),  # age gap
            ("María", "Quispe Mamani", {"sex": "male", "age": 20}),  # other sex
        ]
        for given, family, extra in cases:
            created = register(client, case, given, family, **extra)
            assert created["possible_duplicates"] == [], (given, extra)

    def test_past_the_limit_other_teams_are_left_out_but_registering_works(
        self, db, login_as, earlier
    ):
        worker = make_user(db, teams=[Team.lima])
        for _ in range(PER_HOUR):
            record_event(db, AuditAction.disclose_existence, actor=worker, detail="search")
        db.flush()
        again = register(
            login_as(worker), make_case(db), "María", "Quispe", age=20, intake_on="2024-03-12"
        )
        assert [d["team"] for d in again["possible_duplicates"]] == ["lima"]
        assert len(disclosures(db, worker)) == PER_HOUR

    def test_same_document_elsewhere_is_still_disclosed_once_per_case(self, db, login_as):
        cusco_case = make_case(db, team=Team.cusco)
        register(login_as(make_user(db, teams=[Team.cusco])), cusco_case, "X", "Y", document="4455")
        worker = make_user(db, teams=[Team.lima])
        again = register(login_as(worker), make_case(db), "Otra", "Persona", document="44-55")
        assert again["possible_duplicates"] == [{"case_code": cusco_case.code, "team": "cusco"}]
        assert len(disclosures(db, worker)) == 1


def _form_data(**identity):
    data = {
        "intake_on": "2024-03-12",
        "sex": "female",
        "age_at_intake": "20",
        "nationality": "PE",
        "typology": "forced_labour",
        **{f"identity.{k}": v for k, v in identity.items()},
    }
    return data


class TestWebForm:
    def test_duplicates_shown_before_saving_then_continue(self, db, login_as, earlier):
        client = login_as(make_user(db, teams=[Team.lima]))
        case = make_case(db)
        path = f"/casos/{case.id}/victimas/nueva"
        data = _form_data(given_names="María", family_names="Kispe Mamani")
        check = post_form(client, path, path, data)
        assert check.status_code == 200
        _, lima = earlier["lima"]
        assert "Posibles registros anteriores" in check.text
        assert f'href="/victimas/{lima["id"]}"' in check.text
        assert (
            earlier["cusco"][0].code in check.text and earlier["cusco"][1]["id"] not in check.text
        )
        assert 'value="Kispe Mamani"' in check.text  # everything typed is kept
        assert db.scalars(select(Victim).where(Victim.case_id == case.id)).all() == []
        saved = post_form(client, path, path, {**data, "continuar": "1"})
        assert saved.status_code == 303, saved.text
        assert db.scalars(select(Victim).where(Victim.case_id == case.id)).one()

    def test_no_duplicates_saves_at_once(self, db, login_as):
        client = login_as(make_user(db, teams=[Team.lima]))
        case = make_case(db)
        path = f"/casos/{case.id}/victimas/nueva"
        resp = post_form(client, path, path, _form_data(given_names="Única", family_names="Nadie"))
        assert resp.status_code == 303

    def test_invalid_form_is_explained_before_any_check(self, db, login_as, earlier):
        worker = make_user(db, teams=[Team.lima])
        client = login_as(worker)
        case = make_case(db)
        path = f"/casos/{case.id}/victimas/nueva"
        data = _form_data(given_names="María", family_names="Quispe Mamani")
        data.pop("sex")
        resp = post_form(client, path, path, data)
        assert resp.status_code == 422
        assert disclosures(db, worker) == []


class TestImport:
    def _run(self, db, actor, rows, dry_run=True):
        victims, dets = read_upload("f.csv", csv_bytes(rows))
        return import_sheets(db, victims, dets, actor=actor, dry_run=dry_run, username="t")

    def test_rows_report_their_likely_duplicates(self, db, earlier):
        coordinator = make_user(db, role=Role.coordinator, teams=[Team.lima])
        rows = [
            victim_row(1, given_names="Maria", family_names="Quispe Mamani", age_at_intake="20"),
            victim_row(2, given_names="Pedro", family_names="Vargas", sex="male"),
        ]
        report = self._run(db, coordinator, rows).as_dict()
        (line,) = report["possible_duplicates"]
        assert line["line"] == 2
        found = _by_team(line["duplicates"])
        assert found["lima"]["victim_code"] == earlier["lima"][1]["code"]
        assert set(found["cusco"]) == KEYS_IN_OTHER_TEAMS
        (event,) = disclosures(db, coordinator)
        assert event.detail == "import"

    def test_the_import_page_lists_them(self, db, login_as, earlier):
        client = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
        token = csrf(client, "/importar")
        rows = [victim_row(1, given_names="Maria", family_names="Kispe Mamani", age_at_intake="20")]
        resp = client.post(
            "/importar",
            data={"csrf_token": token, "dry_run": "true"},
            files={"file": ("f.csv", csv_bytes(rows), "text/csv")},
        )
        assert resp.status_code == 200, resp.text
        assert "probablemente ya está registrada" in resp.text
        assert earlier["lima"][1]["code"] in resp.text
        assert f"otro equipo: {earlier['cusco'][0].code}" in resp.text

    def test_the_files_own_rows_are_not_duplicates_of_each_other_once_stored(self, db):
        rows = [victim_row(1, given_names="Nueva", family_names="Persona Sola")]
        first = self._run(db, None, rows, dry_run=False).as_dict()
        assert first["possible_duplicates"] == []


def test_disclosure_events_name_no_one(db, login_as, earlier):
    worker = make_user(db, teams=[Team.lima])
    register(login_as(worker), make_case(db), "María", "Quispe", age=20, intake_on="2024-03-12")
    for event in db.scalars(select(AuditEvent).where(AuditEvent.user_id == worker.id)):
        text = f"{event.fields} {event.detail}"
        assert "Quispe" not in text and "María" not in text


def test_calp_import_prints_likely_duplicates_by_code(tmp_path, fresh_db, subprocess_env):
    from tests.imports.test_cli import calp

    env = subprocess_env(fresh_db[0])
    first = tmp_path / "primero.csv"
    first.write_bytes(csv_bytes([victim_row(1, given_names="María", family_names="Quispe Mamani")]))
    assert calp(env, "import", str(first)).returncode == 0
    again = tmp_path / "otra.csv"
    again.write_bytes(csv_bytes([victim_row(2, given_names="Maria", family_names="Kispe Mamani")]))
    result = calp(env, "import", str(again), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "calp: línea 2: posible duplicado de LIM-2024-" in result.stdout
    assert "Quispe" not in result.stdout and "Mamani" not in result.stdout
