"""Statistics do not move with a transfer: a case and everything in it keep counting under
the team that opened it (`opened_by_team`), in every table, every `team=` filter of the
statistics and of the routes; exports and imports carry it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.cases.models import Case
from app.catalogs import Role, Team, TransferReason
from app.imports.export import build_export, to_csv
from app.imports.reader import read_upload
from app.imports.service import import_sheets
from app.routes import queries as route_queries
from app.statistics.service import get_data_quality, get_outcomes, get_report
from app.transfers import service as transfers
from app.transfers.schemas import TransferCreate, TransferDecision
from tests.factories import make_case, make_user, make_victim
from tests.imports.builders import csv_bytes, victim_row
from tests.work_factories import make_detection, make_follow_up, make_plan, make_referral

TEAMS = (None, "puno", "lima", "cusco")


def _everything(db) -> list:
    """Every figure with a team filter: published tables, quality, outcomes, route cells."""
    out: list = []
    for team in TEAMS:
        out.append(get_report(db, team=team).model_dump(by_alias=True))
        out.append(get_data_quality(db, team=team).model_dump(by_alias=True))
        out.append(get_outcomes(db, team=team).model_dump(by_alias=True))
        flt = route_queries.RouteFilter(team=Team(team) if team else None)
        out.append(route_queries.department_cells(db, flt))
        out.append(route_queries.flow_cells(db, flt, "capture", "exploitation"))
    return out


def _transfer(db, case: Case, to: Team) -> None:
    sender = make_user(db, role=Role.psychologist, teams=[case.team])
    receiver = make_user(db, role=Role.coordinator, teams=[to])
    t = transfers.propose(
        db,
        case,
        TransferCreate(version=case.version, to_team=to, reason=TransferReason.victim_moved),
        actor=sender,
    )
    transfers.accept(db, receiver, t.id, TransferDecision())
    db.flush()


def test_statistics_unchanged_by_a_transfer(db):
    puno = make_case(db, team=Team.puno, opened_on=date(2024, 2, 1))
    for _ in range(3):
        v = make_victim(
            db, case=puno, route=[("capture", "PE", "21"), ("exploitation", "PE", "15")]
        )
        make_follow_up(db, v)
        make_plan(db, v)
        make_referral(db, v)
    make_detection(db, puno)
    lima = make_case(db, team=Team.lima, opened_on=date(2024, 5, 1))
    make_victim(db, case=lima, route=[("capture", "PE", "15")])
    before = _everything(db)
    tabla_10 = {
        r["key"]: r["cases"] for r in get_report(db).tables[0].model_dump()["groups"][0]["rows"]
    }
    assert tabla_10["puno"] == 1 and tabla_10["lima"] == 1

    _transfer(db, puno, Team.lima)
    db.expire_all()
    assert db.get(Case, puno.id).team == Team.lima
    assert _everything(db) == before


def test_export_and_import_carry_opened_by_team(db):
    moved = make_case(
        db,
        team=Team.lima,
        opened_by_team=Team.puno,
        external_id="TR-C1",
        opened_on=date(2024, 2, 1),
    )
    make_victim(db, case=moved, external_id="TR-V1")
    victims, detections = build_export(db, None, "calp")
    headers = victims.headers
    (row,) = [r for r in victims.rows if r[headers.index("case_external_id")] == "TR-C1"]
    assert (row[headers.index("team")], row[headers.index("opened_by_team")]) == ("lima", "puno")
    # Back in under new external ids (the stored ones would be skipped as already there).
    row[headers.index("case_external_id")] = "TR-C2"
    row[headers.index("victim_external_id")] = "TR-V2"
    victims.rows = [row]
    sheet, _ = read_upload("back.csv", to_csv(victims), None)
    import_sheets(db, sheet, None, actor=None, username="test")
    back = db.scalar(select(Case).where(Case.external_id == "TR-C2"))
    assert (back.team, back.opened_by_team) == (Team.lima, Team.puno)


def test_import_without_the_column_counts_the_case_for_its_team(db):
    rows = [victim_row(1, case="TR-C3", victim_external_id="TR-V3", team="cusco")]
    sheet, _ = read_upload("old.csv", csv_bytes(rows), None)
    import_sheets(db, sheet, None, actor=None, username="test")
    case = db.scalar(select(Case).where(Case.external_id == "TR-C3"))
    assert (case.team, case.opened_by_team) == (Team.cusco, Team.cusco)
