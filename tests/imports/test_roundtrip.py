"""Round trip: the demo data exported (calp shape) and imported into an empty database
gives every statistics table identical."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.demo.loader import load_demo
from app.imports.export import build_export, to_csv, to_xlsx
from app.imports.reader import read_upload
from app.imports.service import import_sheets
from app.statistics.service import get_report


def _report(session: Session) -> list[dict]:
    reports = (
        get_report(session),
        get_report(session, first=2023, last=2025),
        get_report(session, team="cusco"),
    )
    return [r.model_dump(by_alias=True) for r in reports]


def test_demo_export_reimports_into_identical_statistics(db, fresh_db):
    load_demo(db, fast_hash=True)
    victims, detections = build_export(db, None, "calp")
    assert len(victims.rows) > 700 and len(detections.rows) > 300
    before = _report(db)
    by_team = before[1]["tables"][0]
    assert by_team["table"] == "10"
    assert by_team["groups"][0]["total"] == {"cases": 518, "victims": 738}
    csv_victims, csv_dets = read_upload("demo.csv", to_csv(victims), to_csv(detections))
    xlsx_victims, xlsx_dets = read_upload("demo.xlsx", to_xlsx(victims, detections))
    assert xlsx_victims.rows == csv_victims.rows and xlsx_dets.rows == csv_dets.rows
    with Session(fresh_db[1]) as target:
        report = import_sheets(target, csv_victims, csv_dets, actor=None, username="test")
        target.commit()
        assert report.created["victims"] == len(victims.rows)
        assert report.created["detections"] == len(detections.rows)
        assert _report(target) == before
        # A second run finds everything already there.
        again = import_sheets(target, csv_victims, csv_dets, actor=None, dry_run=True)
        assert sum(again.created.values()) == 0
