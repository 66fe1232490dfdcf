"""De-identified export in two shapes: calp (re-importable) and HTCDS (IOM field names).

What leaves: the profile the statistics count, age as its range, every date as a
year-month, case and victim codes. What never leaves: identity, summaries, narratives,
descriptions and any other free text. Victims whose publication consent is revoked stay out.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import Session, aliased

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.cases.models import Case
from app.catalogs import ConsentPurpose, age_range_of
from app.consents.models import Consent
from app.db import today
from app.detections.models import Detection
from app.imports import htcds
from app.imports.layout import DETECTIONS_SHEET, VICTIMS_SHEET, VIOLENCE_TYPES
from app.imports.neutralise import neutralise
from app.scope import visible_cases, visible_victims
from app.users.models import User
from app.victims.models import RouteLeg, Victim
from app.victims.profile import PROFILE_ANSWERS

Shape = Literal["calp", "htcds"]
Format = Literal["csv", "xlsx"]

CALP_VICTIM_HEADERS = [
    "case_external_id",
    "case_code",
    "team",
    "opened_by_team",
    "opened_on",
    "status",
    "closed_on",
    "close_reason",
    "referred_by",
    "victim_external_id",
    "victim_code",
    "intake_on",
    "sex",
    "age_range",
    "nationality",
    *PROFILE_ANSWERS,
    *(f"violence_{v}" for v in VIOLENCE_TYPES),
    "route",
]
CALP_DETECTION_HEADERS = [
    "detection_external_id",
    "case_external_id",
    "case_code",
    "detected_on",
    "polarity",
    "category",
    "institution",
    "stage",
]


@dataclass
class Table:
    """One sheet of an export: headers and rows of plain values."""

    name: str
    headers: list[str]
    rows: list[list[Any]]


def year_month(value: date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def _code(value: object) -> str:
    return "" if value is None else str(value)


def route_text(legs: list[RouteLeg]) -> str:
    """The import's route cell: `capture:PE-16;transit:PE-15;exploitation:VE`."""
    return ";".join(
        f"{leg.stage}:{leg.country}" + (f"-{leg.region}" if leg.region else "") for leg in legs
    )


def _publication_revoked() -> Any:
    # Left out when a publication consent was revoked and none was given again afterwards.
    revoked, active = aliased(Consent), aliased(Consent)
    return and_(
        exists().where(
            revoked.victim_id == Victim.id,
            revoked.purpose == ConsentPurpose.publication,
            revoked.revoked_on.is_not(None),
        ),
        ~exists().where(
            active.victim_id == Victim.id,
            active.purpose == ConsentPurpose.publication,
            active.revoked_on.is_(None),
        ),
    )


def _victims_query(actor: User | None) -> Select[Any]:
    if actor is not None:
        stmt = visible_victims(actor).add_columns(Case)
    else:
        stmt = (
            select(Victim, Case)
            .join(Case, Victim.case_id == Case.id)
            .where(Victim.deleted_at.is_(None), Case.deleted_at.is_(None))
        )
    return stmt.where(~_publication_revoked()).order_by(Case.code, Victim.seq)


def _iter_victims(
    session: Session, actor: User | None, chunk: int = 2000
) -> Iterator[tuple[Victim, Case, list[RouteLeg]]]:
    pairs = session.execute(_victims_query(actor)).all()
    for i in range(0, len(pairs), chunk):
        part = pairs[i : i + chunk]
        legs: dict[uuid.UUID, list[RouteLeg]] = defaultdict(list)
        ids = [v.id for v, _ in part]
        for leg in session.scalars(
            select(RouteLeg)
            .where(RouteLeg.victim_id.in_(ids))
            .order_by(RouteLeg.victim_id, RouteLeg.position)
        ):
            legs[leg.victim_id].append(leg)
        for victim, case in part:
            yield victim, case, legs[victim.id]


def calp_victim_row(victim: Victim, case: Case, legs: list[RouteLeg]) -> list[Any]:
    return [
        case.external_id or case.code,
        case.code,
        _code(case.team),
        _code(case.opened_by_team),
        year_month(case.opened_on),
        _code(case.status),
        year_month(case.closed_on),
        _code(case.close_reason),
        _code(case.referred_by),
        victim.external_id or victim.code,
        victim.code,
        year_month(victim.intake_on),
        _code(victim.sex),
        str(age_range_of(victim.age_at_intake)),
        victim.nationality,
        _code(victim.typology),
        _code(victim.trafficking_purpose),
        _code(victim.capture_modality),
        _code(victim.trafficker_relation),
        _code(victim.education_level),
        "" if victim.disability is None else ("sí" if victim.disability else "no"),
        _code(victim.indigenous_language),
        _code(victim.migration_status),
        *(_code(getattr(victim, f"violence_{v}")) for v in VIOLENCE_TYPES),
        route_text(legs),
    ]


def build_export(session: Session, actor: User | None, shape: Shape) -> tuple[Table, Table]:
    """The victims table and the detections table of an export (nothing identifying)."""
    victim_rows: list[list[Any]] = []
    case_ids: dict[uuid.UUID, Case] = {}
    for victim, case, legs in _iter_victims(session, actor):
        case_ids[case.id] = case
        victim_rows.append(
            calp_victim_row(victim, case, legs)
            if shape == "calp"
            else htcds.victim_row(victim, case, legs)
        )
    # Detections of the exported cases only: a re-import needs their case in the file.
    det_stmt = (
        select(Detection)
        .join(Case, Detection.case_id == Case.id)
        .where(Detection.deleted_at.is_(None), Case.deleted_at.is_(None))
    )
    if actor is not None:
        det_stmt = det_stmt.where(Case.id.in_(visible_cases(actor).with_only_columns(Case.id)))
    det_rows: list[list[Any]] = []
    for det in session.scalars(det_stmt.order_by(Case.code, Detection.detected_on, Detection.id)):
        det_case = case_ids.get(det.case_id)
        if det_case is None:
            continue
        det_rows.append(
            _calp_detection_row(det, det_case)
            if shape == "calp"
            else htcds.detection_row(det, det_case)
        )
    if shape == "calp":
        return (
            Table(VICTIMS_SHEET, CALP_VICTIM_HEADERS, victim_rows),
            Table(DETECTIONS_SHEET, CALP_DETECTION_HEADERS, det_rows),
        )
    return (
        Table(VICTIMS_SHEET, htcds.VICTIM_HEADERS, victim_rows),
        Table(DETECTIONS_SHEET, htcds.DETECTION_HEADERS, det_rows),
    )


def _calp_detection_row(det: Detection, case: Case) -> list[Any]:
    return [
        det.external_id or str(det.id),
        case.external_id or case.code,
        case.code,
        year_month(det.detected_on),
        _code(det.polarity),
        _code(det.category),
        _code(det.institution),
        _code(det.stage),
    ]


def to_csv(table: Table) -> bytes:
    """RFC 4180, UTF-8 with BOM (Excel opens it right), every text cell neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([neutralise(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(*tables: Table) -> bytes:
    """One sheet per table; text cells neutralised and stored as text, never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: Any) -> Any:
        # Control characters cannot be stored in XLSX: drop them rather than fail.
        value = neutralise(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.name)
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([cell(v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def reason_code(reason: str) -> str:
    """The audit keeps a short hash of the reason, never its text (it could name someone)."""
    return hashlib.sha256(reason.strip().encode()).hexdigest()[:16]


def audit_export(
    session: Session,
    actor: User | None,
    *,
    shape: Shape,
    fmt: Format,
    reason: str,
    victims: int,
    detections: int,
    username: str | None = None,
) -> None:
    record_event(
        session,
        AuditAction.export,
        actor=actor,
        username=username,
        record_type="export",
        detail=(
            f"shape={shape};format={fmt};reason={reason_code(reason)};"
            f"victims={victims};detections={detections}"
        ),
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_file(
    session: Session,
    actor: User | None,
    *,
    shape: Shape,
    fmt: Format,
    reason: str,
    username: str | None = None,
) -> tuple[bytes, str, str]:
    """The audited export as one download: (content, media type, file name).

    XLSX holds both sheets; CSV comes as a ZIP of `<stem>.csv` and `<stem>.detections.csv`,
    the layout `calp import` reads back.
    """
    victims, detections = build_export(session, actor, shape)
    audit_export(
        session,
        actor,
        shape=shape,
        fmt=fmt,
        reason=reason,
        username=username,
        victims=len(victims.rows),
        detections=len(detections.rows),
    )
    stem = f"calp-{shape}-{today():%Y%m%d}"
    if fmt == "xlsx":
        return to_xlsx(victims, detections), XLSX_TYPE, f"{stem}.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.csv", to_csv(victims))
        archive.writestr(f"{stem}.detections.csv", to_csv(detections))
    return buf.getvalue(), "application/zip", f"{stem}.zip"
