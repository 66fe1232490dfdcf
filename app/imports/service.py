"""Import: validate every row, then store the whole file in one transaction, or nothing.

Idempotent by external id: a victim or detection whose external id is already stored is
skipped (and reported as such); a case whose external id is stored receives the file's
new victims. Nothing stored is ever updated by an import.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.cases.codes import format_case_code
from app.cases.models import Case, CaseCounter, CaseStatusChange
from app.catalogs import Team
from app.crypto import get_keyring
from app.db import note_data_write, seal_rows, today, utcnow
from app.detections.models import Detection
from app.errors import AppError
from app.imports.layout import DETECTIONS_SHEET, VICTIMS_SHEET
from app.imports.reader import Sheet
from app.imports.validate import ParsedFile, RowError, parse_file
from app.users.models import User
from app.victims.models import RouteLeg, Victim, VictimIdentity

BATCH = 2000
Tick = Callable[[int], None]


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "detection_rows": self.detection_rows,
            "created": self.created,
            "reused_cases": self.reused_cases,
            "skipped": self.skipped,
        }


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
    if not dry_run:
        _store(session, plan, actor, tick)
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


@dataclass
class _Plan:
    new_cases: dict[str, dict[str, Any]]
    stored_cases: dict[str, Any]
    victims: list[dict[str, Any]]
    detections: list[dict[str, Any]]


def _plan(
    session: Session, parsed: ParsedFile, stored_cases: dict[str, Any], report: ImportReport
) -> _Plan:
    stored_victims = _existing(
        session, Victim.external_id, [v["victim_external_id"] for v in parsed.victims]
    )
    stored_dets = _existing(
        session, Detection.external_id, [d["detection_external_id"] for d in parsed.detections]
    )
    victims = []
    for v in parsed.victims:
        if v["victim_external_id"] in stored_victims:
            report.skipped.append(
                {"sheet": VICTIMS_SHEET, "line": v["line"], "message": "ya importada: se omite"}
            )
        else:
            victims.append(v)
    detections = []
    for d in parsed.detections:
        if d["detection_external_id"] in stored_dets:
            report.skipped.append(
                {"sheet": DETECTIONS_SHEET, "line": d["line"], "message": "ya importada: se omite"}
            )
        else:
            detections.append(d)
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
    return _Plan(new_cases, stored_cases, victims, detections)


def allocate_case_seqs(session: Session, team: Team, year: int, count: int) -> int:
    """Reserve `count` consecutive case numbers of a team and year; returns the first.

    The block version of `app.cases.codes.next_case_seq` (same counter, same rules: the row
    is locked by the UPDATE, and numbers already used by cases created without the counter
    are skipped), so a 100,000-row import does not take one round trip per case.
    """
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        upsert(CaseCounter).values(team=team, year=year, last_seq=0).on_conflict_do_nothing()
    )
    used = (
        select(func.coalesce(func.max(Case.seq), 0))
        .where(Case.team == team, Case.year == year)
        .scalar_subquery()
    )
    stmt = (
        update(CaseCounter)
        .where(CaseCounter.team == team, CaseCounter.year == year)
        .values(
            last_seq=sql_case((used > CaseCounter.last_seq, used), else_=CaseCounter.last_seq)
            + count
        )
        .returning(CaseCounter.last_seq)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(stmt).scalar_one()) - count + 1


def _store(session: Session, plan: _Plan, actor: User | None, tick: Tick | None) -> None:
    actor_id = actor.id if actor else None
    now = utcnow()
    case_ids: dict[str, uuid.UUID] = {ext: row.id for ext, row in plan.stored_cases.items()}
    case_codes: dict[str, str] = {}
    by_team_year: dict[tuple[str, int], list[str]] = defaultdict(list)
    for ext, case in plan.new_cases.items():
        by_team_year[(case["team"], case["opened_on"].year)].append(ext)
    case_rows, changes = [], []
    for (team, year), exts in sorted(by_team_year.items()):
        exts.sort(key=lambda e: (plan.new_cases[e]["opened_on"], e))
        first = allocate_case_seqs(session, Team(team), year, len(exts))
        for seq, ext in enumerate(exts, start=first):
            c = plan.new_cases[ext]
            case_ids[ext] = uuid.uuid4()
            case_codes[ext] = format_case_code(Team(team), year, seq)
            case_rows.append(
                {
                    "id": case_ids[ext],
                    "code": case_codes[ext],
                    "team": team,
                    "year": year,
                    "seq": seq,
                    "opened_on": c["opened_on"],
                    "status": c["status"],
                    "closed_on": c["closed_on"],
                    "close_reason": c["close_reason"],
                    "referred_by": c["referred_by"],
                    "external_id": ext,
                    "version": 1,
                    "created_by_id": actor_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            changes.append(
                {
                    "id": uuid.uuid4(),
                    "case_id": case_ids[ext],
                    "from_status": None,
                    "to_status": c["status"],
                    "on": c["closed_on"] or c["opened_on"],
                    "at": now,
                    "close_reason": c["close_reason"],
                    "actor_id": actor_id,
                }
            )
    note_data_write(session)  # Core writes skip the flush hook
    _insert(session, Case, case_rows)
    _insert(session, CaseStatusChange, changes)
    for ext, row in plan.stored_cases.items():
        case_codes.setdefault(ext, session.scalar(select(Case.code).where(Case.id == row.id)) or "")
    next_seq = _next_victim_seqs(session, plan)
    victim_rows, legs, identities = [], [], []
    for n, v in enumerate(plan.victims, start=1):
        ext = v["case_external_id"]
        seq = next_seq[ext]
        next_seq[ext] += 1
        vid = uuid.uuid4()
        victim_rows.append(
            _victim_row(v, vid, case_ids[ext], f"{case_codes[ext]}-V{seq}", seq, actor_id, now)
        )
        legs += [
            {"id": uuid.uuid4(), "victim_id": vid, "position": pos, **leg}
            for pos, leg in enumerate(v["route"])
        ]
        if v["identity"]:
            identities.append(_identity_row(vid, v["identity"]))
        if n % BATCH == 0:
            _flush_victims(session, victim_rows, legs, identities, tick)
    _flush_victims(session, victim_rows, legs, identities, tick)
    _insert(
        session,
        Detection,
        [
            {
                "id": uuid.uuid4(),
                "case_id": case_ids[d["case_external_id"]],
                "detected_on": d["detected_on"],
                "polarity": d["polarity"],
                "category": d["category"],
                "institution": d["institution"],
                "stage": d["stage"],
                "description": d["description"],
                "external_id": d["detection_external_id"],
                "version": 1,
                "created_by_id": actor_id,
                "created_at": now,
                "updated_at": now,
            }
            for d in plan.detections
        ],
    )


def _next_victim_seqs(session: Session, plan: _Plan) -> dict[str, int]:
    seqs: dict[str, int] = defaultdict(lambda: 1)
    for ext, row in plan.stored_cases.items():
        top = session.scalar(select(func.max(Victim.seq)).where(Victim.case_id == row.id))
        seqs[ext] = (top or 0) + 1
    return seqs


def _victim_row(
    v: dict[str, Any],
    vid: uuid.UUID,
    case_id: uuid.UUID,
    code: str,
    seq: int,
    actor_id: uuid.UUID | None,
    now: Any,
) -> dict[str, Any]:
    row = {
        k: v[k]
        for k in (
            "intake_on",
            "sex",
            "age_at_intake",
            "nationality",
            "typology",
            "trafficking_purpose",
            "capture_modality",
            "trafficker_relation",
            "education_level",
            "disability",
            "indigenous_language",
            "migration_status",
        )
    }
    row.update({f"violence_{k}": a for k, a in v["violence"].items()})
    row.update(
        {
            "id": vid,
            "case_id": case_id,
            "code": code,
            "seq": seq,
            "external_id": v["victim_external_id"],
            "version": 1,
            "created_by_id": actor_id,
            "created_at": now,
            "updated_at": now,
        }
    )
    return row


def _identity_row(vid: uuid.UUID, identity: dict[str, Any]) -> dict[str, Any]:
    number = identity.get("document_number")
    return {
        "victim_id": vid,
        **identity,
        "document_index": get_keyring().blind_index(number) if number else None,
    }


def _flush_victims(
    session: Session,
    victims: list[dict[str, Any]],
    legs: list[dict[str, Any]],
    identities: list[dict[str, Any]],
    tick: Tick | None,
) -> None:
    done = len(victims)
    _insert(session, Victim, victims)
    _insert(session, RouteLeg, legs)
    _insert(session, VictimIdentity, identities)
    victims.clear()
    legs.clear()
    identities.clear()
    if tick and done:
        tick((done + 1) // 2)


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    # Core executemany: one round trip per batch; free text sealed to its row first.
    if rows:
        session.execute(insert(model.__table__), seal_rows(model.__table__, rows))
