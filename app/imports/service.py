"""Import: validate every row, then store the whole file in one transaction, or nothing.

Idempotent by external id: a victim or detection whose external id is already stored is
skipped (and reported as such); a case whose external id is stored receives the file's
new victims. Nothing stored is ever updated by an import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.cases.models import Case
from app.db import today
from app.detections.models import Detection
from app.errors import AppError
from app.imports.layout import DETECTIONS_SHEET, VICTIMS_SHEET
from app.imports.reader import Sheet
from app.imports.store import Plan, Tick, store_plan
from app.imports.validate import ParsedFile, RowError, parse_file
from app.users.models import User
from app.victims.finding import import_duplicates
from app.victims.models import Victim


class ImportRejected(AppError):
    """The file has bad rows: nothing was imported; `detail` lists every problem."""

    status_code = 422
    kind = "validation_error"
    code = "import_rows_invalid"

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__()
        self.detail = [e.as_dict() for e in errors]
        self.errors = errors


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do)."""

    dry_run: bool
    rows: int = 0
    detection_rows: int = 0
    created: dict[str, int] = field(
        default_factory=lambda: {"cases": 0, "victims": 0, "detections": 0}
    )
    reused_cases: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    # Rows whose person likely exists already (app.victims.finding), checked before storing.
    possible_duplicates: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)  # every field, in declaration order (the API's JSON order)


def _existing(session: Session, column: Any, keys: Iterable[str]) -> dict[str, Any]:
    """Stored rows whose external id is among `keys` (queried in chunks)."""
    found: dict[str, Any] = {}
    keys = list(keys)
    model = column.class_
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        for row in session.execute(
            select(model.external_id, model.id, *([model.team] if model is Case else [])).where(
                column.in_(chunk)
            )
        ):
            found[row[0]] = row
    return found


def import_sheets(
    session: Session,
    victims: Sheet,
    detections: Sheet | None,
    *,
    actor: User | None,
    dry_run: bool = False,
    tick: Tick | None = None,
    username: str | None = None,
) -> ImportReport:
    """Validate the sheets and, if every row is good and this is no dry run, store them.

    `actor` limits the rows to the actor's teams (coordinators); None is the command line
    run by the operator (any team), audited under `username`.
    """
    teams = {str(t) for t in actor.teams} if actor is not None else None
    parsed = parse_file(victims, detections, today=today(), teams=teams)
    report = ImportReport(
        dry_run=dry_run,
        rows=len(victims.rows),
        detection_rows=len(detections.rows) if detections else 0,
    )
    known_case_ids = {v.get("case_external_id", "").strip() for _, v in victims.rows}
    stored_cases = _check_stored(session, parsed, teams, known_case_ids)
    if parsed.errors:
        parsed.errors.sort(key=lambda e: (e.sheet != VICTIMS_SHEET, e.line))
        raise ImportRejected(parsed.errors)
    if tick:
        tick(len(victims.rows) // 2)
    plan = _plan(session, parsed, stored_cases, report)
    report.possible_duplicates = import_duplicates(session, actor, plan.victims)
    if not dry_run:
        store_plan(session, plan, actor, tick)
        record_event(
            session,
            AuditAction.import_,
            actor=actor,
            username=username,
            record_type="import",
            detail=(
                f"cases={report.created['cases']};victims={report.created['victims']};"
                f"detections={report.created['detections']};"
                f"skipped={len(report.skipped)}"
            ),
        )
    return report


def _check_stored(
    session: Session, parsed: ParsedFile, teams: set[str] | None, file_case_ids: set[str]
) -> dict[str, Any]:
    """Errors for rows clashing with stored cases; returns the stored cases the file names."""
    wanted = set(parsed.cases) | {d["case_external_id"] for d in parsed.detections}
    stored = _existing(session, Case.external_id, wanted)
    for ext, case in parsed.cases.items():
        found = stored.get(ext)
        if found is None:
            continue
        line = parsed.case_lines[ext]
        if teams is not None and str(found.team) not in teams:
            parsed.errors.append(
                RowError(
                    VICTIMS_SHEET,
                    line,
                    "case_external_id",
                    "ese identificador de caso ya está en uso",
                )
            )
        elif str(found.team) != case["team"]:
            parsed.errors.append(
                RowError(
                    VICTIMS_SHEET, line, "team", "no coincide con el equipo del caso ya importado"
                )
            )
    for det in parsed.detections:
        ext = det["case_external_id"]
        found = stored.get(ext)
        if ext in file_case_ids and found is None:
            continue
        if found is None or (teams is not None and str(found.team) not in teams):
            parsed.errors.append(
                RowError(
                    DETECTIONS_SHEET,
                    det["line"],
                    "case_external_id",
                    "caso desconocido: no está en la hoja de víctimas "
                    "ni entre los casos de sus equipos",
                )
            )
    return stored


def _not_imported(
    rows: list[dict[str, Any]],
    key: str,
    stored: dict[str, Any],
    sheet: str,
    report: ImportReport,
) -> list[dict[str, Any]]:
    """The rows not imported before; each one already stored is reported as skipped."""
    new = []
    for row in rows:
        if row[key] in stored:
            report.skipped.append(
                {"sheet": sheet, "line": row["line"], "message": "ya importada: se omite"}
            )
        else:
            new.append(row)
    return new


def _plan(
    session: Session, parsed: ParsedFile, stored_cases: dict[str, Any], report: ImportReport
) -> Plan:
    stored_victims = _existing(
        session, Victim.external_id, [v["victim_external_id"] for v in parsed.victims]
    )
    stored_dets = _existing(
        session, Detection.external_id, [d["detection_external_id"] for d in parsed.detections]
    )
    victims = _not_imported(
        parsed.victims, "victim_external_id", stored_victims, VICTIMS_SHEET, report
    )
    detections = _not_imported(
        parsed.detections, "detection_external_id", stored_dets, DETECTIONS_SHEET, report
    )
    needed = {v["case_external_id"] for v in victims} | {d["case_external_id"] for d in detections}
    new_cases = {
        ext: case for ext, case in parsed.cases.items() if ext not in stored_cases and ext in needed
    }
    report.created = {
        "cases": len(new_cases),
        "victims": len(victims),
        "detections": len(detections),
    }
    report.reused_cases = len({ext for ext in needed if ext in stored_cases})
    return Plan(new_cases, stored_cases, victims, detections)
