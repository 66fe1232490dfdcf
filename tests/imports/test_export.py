"""Export: de-identified, formula-safe, audited, without victims who revoked publication."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import ConsentPurpose, Polarity, PracticeCategory, Role, Team
from app.consents.models import Consent
from app.detections.models import Detection
from app.imports.export import reason_code
from tests.factories import make_case, make_user, make_victim

HYPERLINK = '=HYPERLINK("http://x","y")'
SECRETS = (
    "Zoraida",
    "Quispe",
    "77665544",
    "Jirón Secreto",
    "987654321",
    "Resumen confidencial",
    "Descripción confidencial",
)


def _world(db):
    boss = make_user(db, role=Role.coordinator, teams=[Team.lima])
    case = make_case(
        db, opened_on=date(2024, 3, 12), summary="Resumen confidencial", external_id=HYPERLINK
    )
    kept = make_victim(
        db,
        case=case,
        age_at_intake=16,
        intake_on=date(2024, 3, 15),
        external_id="EXP-V1",
        identity={
            "given_names": "Zoraida",
            "family_names": "Quispe",
            "document_number": "77665544",
            "phone": "987654321",
            "address": "Jirón Secreto 123",
        },
        route=[("capture", "PE", "16"), ("exploitation", "PE", "17")],
    )
    gone = make_victim(db, case=case, external_id="EXP-GONE")
    db.add(
        Consent(
            victim_id=gone.id,
            purpose=ConsentPurpose.publication,
            given_on=date(2024, 3, 15),
            revoked_on=date(2024, 6, 1),
        )
    )
    db.add(
        Detection(
            case_id=case.id,
            detected_on=date(2024, 4, 2),
            polarity=Polarity.bad,
            category=PracticeCategory.procedural,
            institution="pnp",
            description="Descripción confidencial",
            external_id="EXP-D1",
        )
    )
    other = make_case(db, team=Team.cusco)
    make_victim(db, case=other, external_id="EXP-OTHER")
    db.flush()
    return boss, case, kept


def _export(client, fmt, shape="calp", reason="Informe anual"):
    resp = client.post("/api/v1/exports", json={"reason": reason, "format": fmt, "shape": shape})
    assert resp.status_code == 200, resp.text
    return resp


def _csv_tables(resp):
    archive = zipfile.ZipFile(io.BytesIO(resp.content))
    names = sorted(archive.namelist())
    assert len(names) == 2
    victims = next(n for n in names if not n.endswith(".detections.csv"))
    dets = next(n for n in names if n.endswith(".detections.csv"))
    read = [
        list(csv.DictReader(io.StringIO(archive.read(n).decode("utf-8-sig"))))
        for n in (victims, dets)
    ]
    return read[0], read[1], b"".join(archive.read(n) for n in names)


def test_csv_export_is_de_identified_and_neutralises_formulas(db, login_as):
    boss, case, _ = _world(db)
    victims, dets, raw = _csv_tables(_export(login_as(boss), "csv"))
    assert [v["victim_external_id"] for v in victims] == ["EXP-V1"]  # revoked and other team out
    row = victims[0]
    assert row["case_external_id"] == "'" + HYPERLINK
    assert row["case_code"] == case.code
    assert (row["opened_on"], row["intake_on"], row["age_range"]) == ("2024-03", "2024-03", "11_17")
    assert "age_at_intake" not in row and "given_names" not in row
    assert row["route"] == "capture:PE-16;exploitation:PE-17"
    assert [d["detection_external_id"] for d in dets] == ["EXP-D1"]
    assert dets[0]["detected_on"] == "2024-04" and "description" not in dets[0]
    text = raw.decode("utf-8")
    assert not [s for s in SECRETS if s in text]


def test_xlsx_export_neutralises_formulas_and_holds_no_secret(db, login_as):
    boss, _, _ = _world(db)
    resp = _export(login_as(boss), "xlsx")
    book = load_workbook(io.BytesIO(resp.content))
    assert book.sheetnames == ["victimas", "detecciones"]
    cells = [
        c
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    assert "'" + HYPERLINK in cells
    assert not [c for c in cells if isinstance(c, str) and c.startswith("=")]
    # data_type "s": stored as text, never as a formula the spreadsheet would run
    victims = book["victimas"]
    assert all(c.data_type != "f" for row in victims.iter_rows() for c in row)
    assert not [s for s in SECRETS for c in cells if isinstance(c, str) and s in c]


def test_export_is_audited_with_a_hash_of_the_reason(db, login_as):
    boss, _, _ = _world(db)
    _export(login_as(boss), "xlsx", reason="Pedido de Zoraida")
    event = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == AuditAction.export)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.user_id == boss.id
    assert "Zoraida" not in (event.detail or "")
    assert f"reason={reason_code('Pedido de Zoraida')}" in event.detail
    assert "victims=1;detections=1" in event.detail


def test_htcds_shape_uses_the_standard_field_names(db, login_as):
    boss, case, _ = _world(db)
    victims, dets, raw = _csv_tables(_export(login_as(boss), "csv", shape="htcds"))
    row = victims[0]
    assert row["cas_CaseId"] == case.code and row["prs_Gender"] == "Female"
    assert row["vic_AgeBroad"] == "11--17" and row["vic_MajorityStatus"] == "Minor"
    assert row["vic_TypeOfExploitation"] == "SexualExploitation"
    assert (row["hte_RecruitmentCountry"], row["hte_ExploitationState"]) == ("PE", "Madre de Dios")
    assert dets[0]["calp_Polarity"] == "bad"
    assert HYPERLINK.encode() not in raw  # the legacy id stays home in the shared shape
    assert not [s for s in SECRETS if s in raw.decode("utf-8")]


def test_export_needs_a_reason(db, login_as):
    boss, _, _ = _world(db)
    resp = login_as(boss).post("/api/v1/exports", json={"format": "csv", "shape": "calp"})
    assert resp.status_code == 422


def test_a_transferred_case_is_exported_under_the_team_that_opened_it(db, login_as):
    """The HTCDS shape is shared for statistics: its team is the one the published tables
    count (`opened_by_team`), which a transfer never moves. The calp shape carries both."""
    boss = make_user(db, role=Role.coordinator, teams=[Team.lima])
    moved = make_case(db, team=Team.lima, opened_by_team=Team.puno)
    make_victim(db, case=moved, intake_on=date(2024, 3, 15))
    db.flush()
    (row,) = _csv_tables(_export(login_as(boss), "csv", shape="htcds"))[0]
    assert (row["cas_CaseId"], row["calp_Team"]) == (moved.code, "puno")
    (row,) = _csv_tables(_export(login_as(boss), "csv"))[0]
    assert (row["team"], row["opened_by_team"]) == ("lima", "puno")
