"""One timeline per case: status changes, detections, and each victim's follow-ups, plans,
plan reviews and referrals, in date order.

Everything is read through the domains' services, so the narrative rules (and the
`read_narrative` audit events) are theirs: a narrative the reader may not see arrives as None.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.schemas import CaseDetail
from app.catalogs import label
from app.detections import service as detections
from app.followups import service as followups
from app.integrity import shown
from app.plans import service as plans
from app.referrals import service as referrals
from app.schemas import AuthorRead
from app.scope import get_visible_victim
from app.transfers import service as transfers
from app.transfers.models import Transfer
from app.users.models import User
from app.victims.models import Victim
from app.work.authors import Author

LIMIT = 200  # per victim and kind: a case page is not an archive (the API pages further)


@dataclass
class Entry:
    on: date
    kind: str  # css class and heading: status, follow_up, plan, review, detection, referral
    title: str
    victim_code: str | None = None
    victim_id: uuid.UUID | None = None
    lines: list[str] = field(default_factory=list)
    text: str | None = None
    hidden_text: bool = False
    struck: bool = False
    at: datetime | None = None
    author: str | None = None  # who recorded it (full name), beside `at`
    # The record behind the entry, so the timeline can link to its actions: `record_kind`
    # is its slug on the delete page (`records:delete`; None: not deletable from a page) and
    # `correctable` marks a follow-up whose narrative this reader may read and that no
    # correction has replaced yet (only such a follow-up can be corrected by this reader).
    record_id: uuid.UUID | None = None
    record_kind: str | None = None
    correctable: bool = False


def _name(author: Author | AuthorRead | None) -> str | None:
    return author.full_name if author else None


def _sort_key(e: Entry) -> tuple[date, float]:
    return e.on, e.at.timestamp() if e.at else 0.0


def case_timeline(session: Session, user: User, case: Case, detail: CaseDetail) -> list[Entry]:
    entries: list[Entry] = []
    for change in detail.status_changes:
        title = f"Estado: {label('case_status', change.to_status)}"
        lines = (
            [f"Motivo: {label('close_reason', change.close_reason)}"] if change.close_reason else []
        )
        entries.append(Entry(change.on, "status", title, lines=lines, at=change.at))
    for t in transfers.case_transfers(session, case):
        entries.extend(transfer_entries(t))
    for d in detections.list_detections(session, case, limit=LIMIT)[0]:
        entries.append(
            Entry(
                d.detected_on,
                "detection",
                f"{label('polarity', d.polarity)}: {label('institution', d.institution)}",
                lines=[label("practice_category", d.category)]
                + ([f"Etapa: {label('attention_stage', d.stage)}"] if d.stage else []),
                text=shown(d, "description", ""),
                at=d.created_at,
                author=_name(d.author),
                record_id=d.id,
                record_kind="deteccion",
            )
        )
    for brief in detail.victims:
        victim = get_visible_victim(session, user, brief.id)
        entries.extend(victim_entries(session, user, victim, brief.code))
    return sorted(entries, key=_sort_key)


def transfer_entries(t: Transfer) -> list[Entry]:
    """The proposal and, once decided, its outcome (the reader holds the case: notes shown)."""
    teams = f"{label('team', t.from_team)} → {label('team', t.to_team)}"
    reason = [f"Motivo: {label('transfer_reason', t.reason)}"]
    out = [
        Entry(
            t.proposed_at.date(),
            "transfer",
            f"Traslado propuesto: {teams}",
            lines=reason,
            text=shown(t, "note", ""),
            at=t.proposed_at,
        )
    ]
    if t.decided_at is not None:
        title = f"Traslado {label('transfer_status', t.status).lower()}: {teams}"
        out.append(
            Entry(
                t.decided_at.date(),
                "transfer",
                title,
                text=shown(t, "decision_note", ""),
                at=t.decided_at,
            )
        )
    return out


def victim_entries(session: Session, user: User, victim: Victim, code: str) -> list[Entry]:
    out: list[Entry] = []
    vid = victim.id
    for f in followups.list_follow_ups(session, victim, actor=user, limit=LIMIT)[0]:
        actions = [
            f"{label('action_type', a.type)}"
            + (f" ({label('institution', a.institution)})" if a.institution else "")
            + f" — {label('action_status', a.status)}"
            for a in f.actions
        ]
        out.append(
            Entry(
                f.occurred_on,
                "follow_up",
                f"Seguimiento {label('follow_up_kind', f.kind).lower()}",
                code,
                vid,
                lines=actions,
                text=shown(f, "narrative", ""),
                hidden_text=f.narrative_hidden,
                struck=f.superseded_by is not None,
                at=f.created_at,
                author=_name(f.author),
                record_id=f.id,
                correctable=not f.narrative_hidden and f.superseded_by is None,
            )
        )
    for p in plans.PLANS.page(session, victim, limit=LIMIT)[0]:
        goals = [
            f"Meta ({label('plan_dimension', g.dimension)}): {shown(g, 'description')} · "
            f"{label('goal_status', g.status)}"
            + (f" · vence {g.due_on.isoformat()}" if g.due_on else "")
            for g in p.goals
        ]
        out.append(
            Entry(
                p.assessed_on,
                "plan",
                f"Plan de trabajo individual ({label('plan_status', p.status)})",
                code,
                vid,
                lines=goals,
                at=p.created_at,
                author=_name(p.author),
                record_id=p.id,
                record_kind="plan",
            )
        )
        for r in p.reviews:
            out.append(
                Entry(
                    r.reviewed_on,
                    "review",
                    "Revisión del plan",
                    code,
                    vid,
                    text=shown(r, "summary", ""),
                    at=r.created_at,
                    author=_name(r.author),
                    lines=[f"Próxima revisión: {r.next_review_on.isoformat()}"]
                    if r.next_review_on
                    else [],
                )
            )
    for ref in referrals.REFERRALS.page(session, victim, limit=LIMIT)[0]:
        lines = [f"Resultado: {label('referral_outcome', ref.outcome)}"] if ref.outcome else []
        out.append(
            Entry(
                ref.referred_on,
                "referral",
                f"Derivación {label('referral_direction', ref.direction).lower()}: "
                f"{label('institution', ref.institution)}",
                code,
                vid,
                lines=lines,
                text=shown(ref, "reason", ""),
                at=ref.created_at,
                author=_name(ref.author),
                record_id=ref.id,
                record_kind="derivacion",
            )
        )
    return out
