"""Storing a validated import: case numbers in blocks, then Core inserts in batches.

The service (app.imports.service) has checked every row and decided what is new; this writes
it in the caller's transaction without the ORM's unit of work (one round trip per batch).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.cases.codes import allocate_case_seqs, format_case_code
from app.cases.models import Case, CaseStatusChange
from app.catalogs import Team
from app.crypto import get_keyring
from app.db import note_data_write, seal_rows, utcnow
from app.detections.models import Detection
from app.names.service import insert_token_rows, name_token_rows
from app.users.models import User
from app.victims.models import RouteLeg, Victim, VictimIdentity
from app.victims.profile import PROFILE_ANSWERS

BATCH = 2000
Tick = Callable[[int], None]


@dataclass
class Plan:
    """What an import will write: new cases, stored cases it adds to, rows to insert."""

    new_cases: dict[str, dict[str, Any]]
    stored_cases: dict[str, Any]
    victims: list[dict[str, Any]]
    detections: list[dict[str, Any]]


def store_plan(session: Session, plan: Plan, actor: User | None, tick: Tick | None) -> None:
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
                    "opened_by_team": c["opened_by_team"],
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


def _next_victim_seqs(session: Session, plan: Plan) -> dict[str, int]:
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
            *PROFILE_ANSWERS,
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
    insert_token_rows(session, name_token_rows(identities))
    victims.clear()
    legs.clear()
    identities.clear()
    if tick and done:
        tick((done + 1) // 2)


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    # Core executemany: one round trip per batch; free text sealed to its row first.
    if rows:
        session.execute(insert(model.__table__), seal_rows(model.__table__, rows))
