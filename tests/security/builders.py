"""Builders for the security tests: a small committed dataset with identity and free text."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.catalogs import CaseStatus, CloseReason, FollowUpKind, Role, Team
from app.db import make_session_factory
from app.followups.models import FollowUp
from app.victims.models import VictimIdentity
from tests.factories import make_case, make_user, make_victim

VICTIM_NAME = "Yessenia Quispetupa"
VICTIM_DOC = "47190238"
NARRATIVE = "Relato confidencial de la primera entrevista"


@dataclass
class Seeded:
    staff_id: object
    admin_id: object
    closed_case_id: object
    open_case_id: object
    closed_victim_id: object
    open_victim_id: object


def seed(engine: Engine, *, closed_on: date = date(2024, 6, 30)) -> Seeded:
    """Users, one closed and one open case, each with a victim, identity and a follow-up."""
    with make_session_factory(engine)() as s:
        staff = make_user(s, role=Role.psychologist, teams=[Team.lima])
        admin = make_user(s, role=Role.admin)
        closed = make_case(
            s,
            status=CaseStatus.closed,
            closed_on=closed_on,
            close_reason=CloseReason.goals_met,
            summary="resumen del caso cerrado",
        )
        opened = make_case(s, summary="resumen del caso abierto")
        ids = []
        for case, doc in ((closed, VICTIM_DOC), (opened, "99887766")):
            victim = make_victim(
                s,
                case=case,
                identity={
                    "given_names": VICTIM_NAME.split()[0],
                    "family_names": VICTIM_NAME.split()[1],
                    "document_number": doc,
                    "phone": "+51 999 111 222",
                },
                route=[("capture", "PE", "21")],
            )
            s.flush()
            from app.crypto import get_keyring

            s.get_one(VictimIdentity, victim.id).document_index = get_keyring().blind_index(doc)
            s.add(
                FollowUp(
                    victim_id=victim.id,
                    occurred_on=date(2024, 4, 1),
                    kind=FollowUpKind.psychological,
                    narrative=NARRATIVE,
                    author_id=staff.id,
                )
            )
            record_event(
                s, AuditAction.create, actor=staff, record_type="victim", record_id=victim.id
            )
            ids.append(victim.id)
        s.commit()
        return Seeded(staff.id, admin.id, closed.id, opened.id, ids[0], ids[1])


def row_counts(engine: Engine) -> dict[str, int]:
    from app.security.backup import raw_tables

    with Session(engine) as s:
        return {
            t.name: int(s.scalar(select(func.count()).select_from(t)) or 0) for t in raw_tables()
        }


def audit_verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`calp audit verify` in a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
