"""Import: every row validated first, all or nothing, idempotent by external id."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, literal_column, select

from app.audit.models import AuditAction, AuditEvent
from app.cases.models import Case
from app.catalogs import Role, Team
from app.detections.models import Detection
from app.imports.reader import read_upload
from app.imports.service import ImportRejected, import_sheets
from app.victims.models import RouteLeg, Victim, VictimIdentity
from tests.factories import make_case, make_user
from tests.imports.builders import csv_bytes, detection_row, detections_csv, victim_row, xlsx_bytes


def run(db, rows, *, actor=None, detections=None, dry_run=False, xlsx=False):
    if xlsx:
        victims, dets = read_upload("f.xlsx", xlsx_bytes(rows, detections))
    else:
        victims, dets = read_upload(
            "f.csv", csv_bytes(rows), detections_csv(detections) if detections else None
        )
    return import_sheets(db, victims, dets, actor=actor, dry_run=dry_run, username="test")


def count(db, model, prefix):
    return db.scalar(
        select(func.count()).select_from(model).where(model.external_id.like(f"{prefix}%"))
    )


def problems(exc_info):
    return [(e.line, e.column) for e in exc_info.value.errors]


class TestAllOrNothing:
    def test_three_bad_rows_in_a_thousand_import_nothing_and_are_listed(self, db):
        rows = [
            victim_row(n, case=f"BIG-C{n // 2}", victim_external_id=f"BIG-V{n}")
            for n in range(1000)
        ]
        rows[10]["sex"] = "desconocido"  # line 12: not in the catalog
        rows[500]["intake_on"] = (date.today() + timedelta(days=40)).isoformat()  # line 502
        rows[998]["trafficking_purpose"] = ""  # line 1000: trafficking needs a purpose
        with pytest.raises(ImportRejected) as exc:
            run(db, rows)
        assert problems(exc) == [(12, "sex"), (502, "intake_on"), (1000, "trafficking_purpose")]
        assert str(exc.value.errors[0]).startswith("línea 12, columna sex: ")
        assert count(db, Victim, "BIG-") == 0 and count(db, Case, "BIG-") == 0

    def test_good_file_is_stored_with_codes_route_and_encrypted_identity(self, db):
        rows = [
            victim_row(
                1,
                case="G-C1",
                victim_external_id="G-V1",
                given_names="Ana",
                document_type="dni",
                document_number="12345678",
            ),
            victim_row(2, case="G-C1", victim_external_id="G-V2"),
            victim_row(
                3,
                case="G-C2",
                victim_external_id="G-V3",
                team="cusco",
                opened_on="2023-05-02",
                intake_on="2023-05-02",
            ),
        ]
        report = run(db, rows, detections=[detection_row(1, "G-C1", detection_external_id="G-D1")])
        assert report.created == {"cases": 2, "victims": 3, "detections": 1}
        case = db.scalar(select(Case).where(Case.external_id == "G-C1"))
        assert case.code.startswith("LIM-2024-") and case.status == "open"
        codes = sorted(db.scalars(select(Victim.code).where(Victim.case_id == case.id)))
        assert codes == [f"{case.code}-V1", f"{case.code}-V2"]
        other = db.scalar(select(Case.code).where(Case.external_id == "G-C2"))
        assert other.startswith("CUS-2023-")
        v1 = db.scalar(select(Victim).where(Victim.external_id == "G-V1"))
        legs = db.scalars(
            select(RouteLeg).where(RouteLeg.victim_id == v1.id).order_by(RouteLeg.position)
        ).all()
        assert [(leg.stage, leg.country, leg.region) for leg in legs] == [
            ("capture", "PE", "16"),
            ("exploitation", "PE", "17"),
        ]
        ident = db.get(VictimIdentity, v1.id)
        assert ident.given_names == "Ana" and ident.document_index
        raw = db.execute(
            select(literal_column("given_names"))
            .select_from(VictimIdentity.__table__)
            .where(VictimIdentity.victim_id == v1.id)
        ).scalar_one()
        assert "Ana" not in raw

    def test_case_codes_continue_the_team_year_sequence(self, db):
        run(
            db,
            [
                victim_row(
                    1,
                    case="SQ-C1",
                    victim_external_id="SQ-V1",
                    team="puno",
                    opened_on="2021-01-05",
                    intake_on="2021-01-05",
                )
            ],
        )
        run(
            db,
            [
                victim_row(
                    2,
                    case="SQ-C2",
                    victim_external_id="SQ-V2",
                    team="puno",
                    opened_on="2021-02-05",
                    intake_on="2021-02-05",
                )
            ],
        )
        codes = sorted(db.scalars(select(Case.code).where(Case.external_id.like("SQ-%"))))
        first = int(codes[0].rsplit("-", 1)[1])
        assert codes == [f"PUN-2021-{first:04d}", f"PUN-2021-{first + 1:04d}"]

    def test_case_codes_skip_numbers_used_without_the_counter(self, db):
        make_case(db, team=Team.puno, opened_on=date(2019, 4, 1), seq=7, code="PUN-2019-0007")
        run(
            db,
            [
                victim_row(
                    1,
                    case="SK-C1",
                    victim_external_id="SK-V1",
                    team="puno",
                    opened_on="2019-05-05",
                    intake_on="2019-05-05",
                )
            ],
        )
        assert db.scalar(select(Case.code).where(Case.external_id == "SK-C1")) == "PUN-2019-0008"


class TestIdempotence:
    def test_rerun_skips_what_is_stored_and_adds_new_victims_to_known_cases(self, db):
        rows = [victim_row(1, case="I-C1", victim_external_id="I-V1")]
        dets = [detection_row(1, "I-C1", detection_external_id="I-D1")]
        run(db, rows, detections=dets)
        again = run(
            db, [*rows, victim_row(2, case="I-C1", victim_external_id="I-V2")], detections=dets
        )
        assert again.created == {"cases": 0, "victims": 1, "detections": 0}
        assert again.reused_cases == 1
        assert [s["line"] for s in again.skipped] == [2, 2]
        assert count(db, Victim, "I-V") == 2 and count(db, Case, "I-C") == 1
        assert count(db, Detection, "I-D") == 1
        case_id = db.scalar(select(Case.id).where(Case.external_id == "I-C1"))
        assert sorted(db.scalars(select(Victim.seq).where(Victim.case_id == case_id))) == [1, 2]

    def test_dry_run_stores_nothing_and_says_what_it_would_do(self, db):
        events = db.scalar(select(func.count()).select_from(AuditEvent))
        report = run(db, [victim_row(1, case="DR-C1", victim_external_id="DR-V1")], dry_run=True)
        assert report.dry_run and report.created["victims"] == 1
        assert count(db, Victim, "DR-") == 0 and count(db, Case, "DR-") == 0
        assert db.scalar(select(func.count()).select_from(AuditEvent)) == events


class TestCellFormats:
    def test_spanish_labels_any_case_and_accents_equal_codes(self, db):
        rows = [
            victim_row(
                1,
                case="L-C1",
                victim_external_id="L-V1",
                team="MADRE DE DIOS",
                sex="femenino",
                typology="Trata de Personas",
                trafficking_purpose="Explotacion laboral",
                capture_modality="tic (redes sociales, internet)",
                violence_psychological="Sí",
                violence_sexual="se desconoce",
                nationality="Venezuela",
                route="Captación:venezuela;Explotación:PE-Lima",
                status="En seguimiento",
                referred_by="fiscalía",
            ),
            victim_row(
                2,
                case="L-C2",
                victim_external_id="L-V2",
                team="madre_de_dios",
                typology="trafficking",
                trafficking_purpose="labour",
                capture_modality="ict",
                nationality="ve",
                route="capture:VE;exploitation:PE-15",
                status="follow_up",
                violence_sexual="unknown",
                referred_by="fiscalia",
            ),
        ]
        run(db, rows, xlsx=True)
        a, b = (db.scalar(select(Victim).where(Victim.external_id == e)) for e in ("L-V1", "L-V2"))
        fields = (
            "sex",
            "typology",
            "trafficking_purpose",
            "capture_modality",
            "nationality",
            "violence_psychological",
            "violence_sexual",
        )
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
        assert a.capture_modality == "ict" and a.nationality == "VE"
        cases = {
            c.external_id: c
            for c in db.scalars(select(Case).where(Case.external_id.in_(["L-C1", "L-C2"])))
        }
        assert cases["L-C1"].team == cases["L-C2"].team == Team.madre_de_dios
        assert cases["L-C1"].status == cases["L-C2"].status == "follow_up"

    def test_age_range_and_year_month_are_accepted(self, db):
        run(
            db,
            [
                victim_row(
                    1,
                    case="A-C1",
                    victim_external_id="A-V1",
                    age_at_intake="",
                    age_range="26-39",
                    opened_on="2023-07",
                    intake_on="08/2023",
                ),
                victim_row(
                    2,
                    case="A-C2",
                    victim_external_id="A-V2",
                    age_at_intake="",
                    age_range="40+",
                    opened_on="2022-01",
                    intake_on="2022-01",
                ),
            ],
        )
        v1 = db.scalar(select(Victim).where(Victim.external_id == "A-V1"))
        assert v1.age_at_intake == 26 and v1.intake_on == date(2023, 8, 1)
        opened = db.scalar(select(Case.opened_on).where(Case.external_id == "A-C1"))
        assert opened == date(2023, 7, 1)
        assert db.scalar(select(Victim.age_at_intake).where(Victim.external_id == "A-V2")) == 40


class TestRowRules:
    @pytest.mark.parametrize(
        ("overrides", "column"),
        [
            ({"typology": "risk_prevention"}, "trafficking_purpose"),
            ({"nationality": "XX"}, "nationality"),
            ({"route": "capture:VE-16"}, "route"),
            ({"route": "exploitation:PE-17;capture:PE-16"}, "route"),
            ({"route": "capture:PE-99"}, "route"),
            ({"status": "closed"}, "closed_on"),
            (
                {"closed_on": "2024-01-01", "status": "closed", "close_reason": "goals_met"},
                "closed_on",
            ),
            ({"age_at_intake": "", "age_range": ""}, "age_at_intake"),
            ({"age_at_intake": "30", "age_range": "11-17"}, "age_range"),
            ({"opened_on": "2024-02-30"}, "opened_on"),
            ({"disability": "quizá"}, "disability"),
        ],
    )
    def test_rule_breaks_are_reported_on_their_column(self, db, overrides, column):
        with pytest.raises(ImportRejected) as exc:
            run(db, [victim_row(1, case="R-C1", victim_external_id="R-V1", **overrides)])
        assert (2, column) in problems(exc)

    def test_unknown_column_and_missing_required_column_are_line_one(self, db):
        victims, _ = read_upload("f.csv", b"case_external_id,team,sexo\r\nC,lima,F\r\n")
        with pytest.raises(ImportRejected) as exc:
            import_sheets(db, victims, None, actor=None)
        found = problems(exc)
        assert (1, "sexo") in found and (1, "sex") in found and all(n == 1 for n, _ in found)

    def test_rows_of_one_case_must_agree(self, db):
        rows = [
            victim_row(1, case="M-C1", victim_external_id="M-V1"),
            victim_row(2, case="M-C1", victim_external_id="M-V2", opened_on="2024-03-13"),
        ]
        with pytest.raises(ImportRejected) as exc:
            run(db, rows)
        assert problems(exc) == [(3, "opened_on")]

    def test_repeated_victim_id_is_an_error(self, db):
        with pytest.raises(ImportRejected) as exc:
            run(
                db,
                [
                    victim_row(1, case="RP-C1", victim_external_id="RP-V1"),
                    victim_row(2, case="RP-C2", victim_external_id="RP-V1"),
                ],
            )
        assert problems(exc) == [(3, "victim_external_id")]

    def test_coordinator_imports_only_into_own_teams(self, db):
        boss = make_user(db, role=Role.coordinator, teams=[Team.lima])
        with pytest.raises(ImportRejected) as exc:
            run(
                db,
                [
                    victim_row(1, case="T-C1", victim_external_id="T-V1"),
                    victim_row(2, case="T-C2", victim_external_id="T-V2", team="cusco"),
                ],
                actor=boss,
            )
        assert problems(exc) == [(3, "team")]
        assert count(db, Victim, "T-V") == 0

    def test_detection_of_an_unknown_case_is_an_error(self, db):
        with pytest.raises(ImportRejected) as exc:
            run(
                db,
                [victim_row(1, case="U-C1", victim_external_id="U-V1")],
                detections=[
                    detection_row(1, "U-NOPE", detection_external_id="U-D1"),
                    detection_row(2, "U-C1", detection_external_id="U-D2", polarity="regular"),
                ],
                xlsx=True,
            )
        assert [(e.sheet, e.line, e.column) for e in exc.value.errors] == [
            ("detecciones", 2, "case_external_id"),
            ("detecciones", 3, "polarity"),
        ]


def test_import_leaves_one_audit_event_with_counts(db):
    boss = make_user(db, role=Role.coordinator, teams=[Team.lima])
    run(
        db,
        [victim_row(1, case="AU-C1", victim_external_id="AU-V1")],
        actor=boss,
        detections=[detection_row(1, "AU-C1", detection_external_id="AU-D1")],
    )
    event = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == AuditAction.import_)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.user_id == boss.id
    assert event.detail == "cases=1;victims=1;detections=1;skipped=0"
