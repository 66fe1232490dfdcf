"""What a victim's file holds, as the reader may see it: one neutral outline of sections,
entries and fields that the print page and the PDF both render (one source, two shapes).

Reads go through the domains' services, so scope and narrative rules are theirs: identity
only for roles that may read it (that read is audited by the victims service); follow-ups
the reader may not read are left out (the ones shown are audited by the follow-ups
service). The free text of plans, reviews, referrals and the case summary gets one
`read_narrative` event for the whole file (detail `victim_file`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from app.audit.service import record_narrative_read
from app.cases.models import Case
from app.catalogs import ReferralDirection, label
from app.countries import country_name
from app.db import utcnow
from app.followups.schemas import FollowUpRead
from app.followups.service import list_follow_ups
from app.plans.models import Plan
from app.plans.service import PLANS
from app.protection.service import MEASURES
from app.referrals.service import REFERRALS
from app.scope import get_visible_case
from app.templating import spanish_date
from app.users.models import User
from app.victims.schemas import IdentityRead, VictimRead
from app.victims.service import VICTIMS, get_victim_detail

LIMIT = 200  # a file, not an archive: the most recent records of each kind
UNVERIFIABLE = "(dato no verificable)"
UNRECORDED = "Sin registrar"


@dataclass
class Entry:
    heading: str | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # long free text


@dataclass
class Section:
    title: str
    entries: list[Entry] = field(default_factory=list)
    empty: str = "Sin registros."


@dataclass
class VictimFile:
    victim_id: uuid.UUID
    code: str
    case_code: str
    sections: list[Section]
    printed_by: str
    printed_at: datetime


def _sealed(value: str | None) -> str:
    """A sealed free-text field: None means it failed to verify (or was never written)."""
    return value if value is not None else UNVERIFIABLE


def _or_unrecorded(text: str) -> str:
    return text or UNRECORDED


def _profile(d: VictimRead, case: Case) -> Section:
    fields = [
        ("Código de la víctima", d.code),
        ("Caso", f"{case.code} · {label('team', case.team)}"),
        ("Estado del caso", label("case_status", case.status)),
        ("Ingreso", spanish_date(d.intake_on)),
        ("Sexo", label("sex", d.sex)),
        ("Edad al ingreso", str(d.age_at_intake) if d.age_at_intake is not None else UNRECORDED),
        ("Nacionalidad", country_name(d.nationality)),
        ("Tipificación", _or_unrecorded(label("typology", d.typology))),
    ]
    if d.trafficking_purpose:
        fields.append(("Finalidad", label("trafficking_purpose", d.trafficking_purpose)))
    fields += [
        ("Modalidad de captación", _or_unrecorded(label("capture_modality", d.capture_modality))),
        ("Situación migratoria", _or_unrecorded(label("migration_status", d.migration_status))),
    ]
    if d.reflection_until:
        fields.append(("Periodo de reflexión hasta", spanish_date(d.reflection_until)))
    texts = [("Resumen del caso", case.summary)] if case.summary else []
    route = [
        f"{label('route_stage', leg.stage)}: {country_name(leg.country)}"
        + (f" · {label('region', leg.region)}" if leg.region else "")
        for leg in d.route
    ]
    fields.append(("Ruta", " → ".join(route) if route else "Sin ruta registrada"))
    return Section("Perfil y ruta", [Entry(fields=fields, texts=texts)])


def _identity(identity: IdentityRead) -> Section:
    def value(name: str) -> str:
        if name in identity.integrity_errors:
            return UNVERIFIABLE
        return str(getattr(identity, name) or "")

    document = " ".join(
        p for p in (label("document_type", identity.document_type), value("document_number")) if p
    )
    fields = [
        ("Nombres", value("given_names")),
        ("Apellidos", value("family_names")),
        ("Documento", document),
        ("Nacimiento", spanish_date(identity.birth_date)),
        ("Teléfono", value("phone")),
        ("Dirección", value("address")),
    ]
    return Section("Identidad", [Entry(fields=[(k, v) for k, v in fields if v])])


def _plan(plan: Plan) -> Entry:
    entry = Entry(
        heading=f"Plan evaluado el {spanish_date(plan.assessed_on)}",
        fields=[
            ("Estado", label("plan_status", plan.status)),
            ("Próxima revisión", spanish_date(plan.next_review_on) or UNRECORDED),
        ],
    )
    for need in plan.needs:
        what = f"Necesidad · {label('plan_dimension', need.dimension)}"
        entry.texts.append(
            (f"{what} ({label('priority', need.priority)})", _sealed(need.description))
        )
    goals = {goal.id: goal for goal in plan.goals}
    for goal in plan.goals:
        due = f", para el {spanish_date(goal.due_on)}" if goal.due_on else ""
        status = label("goal_status", goal.status)
        what = f"Meta · {label('plan_dimension', goal.dimension)} · {status}{due}"
        entry.texts.append((what, _sealed(goal.description)))
    for review in sorted(plan.reviews, key=lambda r: r.reviewed_on):
        entry.texts.append(
            (f"Revisión del {spanish_date(review.reviewed_on)}", _sealed(review.summary))
        )
        for update in review.goal_updates:
            reviewed = goals.get(update.goal_id)
            name = label("plan_dimension", reviewed.dimension) if reviewed else ""
            note = (
                _sealed(update.note) if update.note is not None or update.integrity_errors else ""
            )
            entry.texts.append(
                (f"  Meta {name}: {label('goal_status', update.status)}", note or "—")
            )
    return entry


def _follow_up(f: FollowUpRead) -> Entry:
    actions = ", ".join(
        f"{label('action_type', a.type)} ({label('action_status', a.status)})" for a in f.actions
    )
    entry = Entry(
        heading=f"{spanish_date(f.occurred_on)} · {label('follow_up_kind', f.kind)}",
        fields=[("Acciones", actions)] if actions else [],
    )
    entry.texts.append(("Narrativa", _sealed(f.narrative)))
    return entry


def collect(session: Session, user: User, victim_id: uuid.UUID) -> VictimFile:
    """The file as `user` may see it; raises the services' 404/403 like any read."""
    detail = get_victim_detail(session, user, victim_id)  # audits the identity read
    victim = VICTIMS.visible(session, user, victim_id)
    case = get_visible_case(session, user, victim.case_id)
    sections = [_profile(detail, case)]
    if detail.identity is not None:
        sections.append(_identity(detail.identity))
    plans, _ = PLANS.page(session, victim, limit=LIMIT)
    sections.append(Section("Planes de trabajo (PTI) y revisiones", [_plan(p) for p in plans]))
    referrals, _ = REFERRALS.page(session, victim, limit=LIMIT)
    way = {ReferralDirection.outgoing: "Enviada a", ReferralDirection.incoming: "Recibida de"}
    sections.append(
        Section(
            "Derivaciones",
            [
                Entry(
                    heading=f"{spanish_date(r.referred_on)} · {way[r.direction]} "
                    f"{label('institution', r.institution)}",
                    fields=[("Resultado", _or_unrecorded(label("referral_outcome", r.outcome)))],
                    texts=[("Motivo", _sealed(r.reason))] if r.reason or r.integrity_errors else [],
                )
                for r in referrals
            ],
        )
    )
    measures, _ = MEASURES.page(session, victim, limit=LIMIT)
    sections.append(
        Section(
            "Medidas de protección",
            [
                Entry(
                    heading=f"{label('protection_measure_kind', m.kind)} · "
                    f"{label('institution', m.institution)}",
                    fields=[
                        ("Otorgada", spanish_date(m.granted_on)),
                        ("Vence", spanish_date(m.ends_on) or UNRECORDED),
                    ],
                )
                for m in measures
            ],
        )
    )
    follow_ups, _ = list_follow_ups(session, victim, actor=user, limit=LIMIT, current_only=True)
    readable = [f for f in follow_ups if f.narrative is not None or f.integrity_errors]
    sections.append(Section("Seguimientos", [_follow_up(f) for f in readable]))
    record_narrative_read(
        session, user, "victim", victim.id, ["plans", "referrals", "summary"], detail="victim_file"
    )
    return VictimFile(
        victim_id=victim.id,
        code=detail.code,
        case_code=case.code,
        sections=sections,
        printed_by=user.full_name or user.username,
        printed_at=utcnow(),
    )
