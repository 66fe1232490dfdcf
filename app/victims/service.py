"""Case work on victims: register, list, read, edit, search; the kind `VICTIMS` for the rest.

Free of FastAPI: the JSON API and the HTML pages call the same functions. Writes check
the caller's role and the version the caller saw, and leave an audit event naming the
changed fields; reading a victim's identity leaves a `read_identity` event.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.cases.models import Case
from app.crypto import get_keyring
from app.errors import Conflict, InvalidInput
from app.names.service import NAME_FIELDS, index_victim
from app.pagination import decode_cursor, encode_cursor
from app.scope import (
    VictimNotFound,
    can_read_identity,
    ensure_case_reader,
    ensure_case_writer,
    visible_victims,
)
from app.users.models import User
from app.victims import finding
from app.victims.identity import (
    IDENTITY_FIELDS,
    apply_identity,
    identity_fields_present,
    identity_read,
    load_identity,
    stored_birth_date,
)
from app.victims.models import RouteLeg, Victim, VictimIdentity
from app.victims.profile import PROFILE_ANSWERS
from app.victims.schemas import (
    RouteLegIn,
    VictimCreate,
    VictimCreated,
    VictimRead,
    VictimSearch,
    VictimUpdate,
    ViolenceHistory,
)
from app.victims.search_schemas import MatchRead, VictimSearchPage
from app.victims.validation import check_purpose, check_required, resolve_age
from app.work.kinds import DeletableKind
from app.work.lifecycle import check_version

PROFILE_FIELDS = (
    "intake_on",
    "sex",
    "nationality",
    *PROFILE_ANSWERS,
    "reflection_until",
)
VIOLENCE_TYPES = tuple(ViolenceHistory.model_fields)


def _case_is_live(session: Session, victim: Victim) -> None:
    if session.scalar(select(Case.deleted_at).where(Case.id == victim.case_id)) is not None:
        raise Conflict("case_deleted_restore_first")


# A victim is restored only once its case is live (its deleted case would hide it anyway).
VICTIMS = DeletableKind(
    Victim,
    "victim",
    VictimNotFound,
    parent="case",
    scope=visible_victims,
    restore_check=_case_is_live,
)


def build_victim_read(
    session: Session, victim: Victim, *, identity: VictimIdentity | None = None
) -> VictimRead:
    """The full record; `identity` is included only when the caller passes it in."""
    team = session.scalar(select(Case.team).where(Case.id == victim.case_id))
    legs = session.scalars(
        select(RouteLeg).where(RouteLeg.victim_id == victim.id).order_by(RouteLeg.position)
    )
    return VictimRead(
        **{
            f: getattr(victim, f)
            for f in (
                "id",
                "case_id",
                "code",
                "age_at_intake",
                "version",
                "author",
                "created_at",
                "updated_at",
                *PROFILE_FIELDS,
            )
        },
        team=team,
        violence_history=ViolenceHistory(
            **{t: getattr(victim, f"violence_{t}") for t in VIOLENCE_TYPES}
        ),
        route=[RouteLegIn.model_validate(leg) for leg in legs],
        identity=identity_read(identity) if identity is not None else None,
    )


def _replace_route(session: Session, victim: Victim, route: list[RouteLegIn]) -> None:
    session.execute(delete(RouteLeg).where(RouteLeg.victim_id == victim.id))
    for pos, leg in enumerate(route):
        session.add(
            RouteLeg(
                victim_id=victim.id,
                position=pos,
                stage=leg.stage,
                country=leg.country,
                region=leg.region,
            )
        )


def create_victim(
    session: Session,
    case: Case,
    data: VictimCreate,
    *,
    actor: User,
    check_duplicates: bool = True,
) -> VictimCreated:
    """Register a person in a case; `possible_duplicates` lists likely earlier records of
    her (app.victims.finding), unless the caller already showed them (the web form's check)."""
    ensure_case_writer(actor)
    age = resolve_age(
        intake_on=data.intake_on, age_at_intake=data.age_at_intake, birth_date=data.birth_date
    )
    # Lock the case row so two registrations never take the same victim number.
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    seq = 1 + (session.scalar(select(func.max(Victim.seq)).where(Victim.case_id == case.id)) or 0)
    victim = Victim(
        id=uuid.uuid4(),
        case_id=case.id,
        seq=seq,
        code=f"{case.code}-V{seq}",
        age_at_intake=age,
        created_by_id=actor.id,
        **{f: getattr(data, f) for f in PROFILE_FIELDS},
        **{f"violence_{t}": getattr(data.violence_history, t) for t in VIOLENCE_TYPES},
    )
    session.add(victim)
    session.flush()
    _replace_route(session, victim, data.route)
    identity_values = data.identity.model_dump(exclude_none=True) if data.identity else {}
    identity, identity_changed = apply_identity(
        session, victim, None, identity_values, birth_date=data.birth_date
    )
    index_victim(session, victim, identity)
    fields = [
        *data.model_dump(exclude_none=True, exclude={"identity", "birth_date"}),
        *identity_changed,
    ]
    VICTIMS.audit(session, AuditAction.create, victim, actor=actor, fields=fields)
    session.flush()
    read = build_victim_read(session, victim, identity=identity)
    duplicates = (
        finding.intake_duplicates(session, actor, intake_person(data, age), exclude=victim.id).items
        if check_duplicates
        else []
    )
    return VictimCreated(**read.model_dump(), possible_duplicates=duplicates)


def intake_person(data: VictimCreate, age: int | None = None) -> finding.Person:
    """The person a registration describes, as the duplicate check compares them."""
    identity = data.identity.model_dump(exclude_none=True) if data.identity else None
    return finding.Person.of(
        identity,
        sex=data.sex,
        birth_date=data.birth_date,
        age_at_intake=data.age_at_intake if age is None else age,
        intake_on=data.intake_on,
    )


def list_case_victims(
    session: Session, user: User, case: Case, *, limit: int = 50, cursor: str | None = None
) -> tuple[list[Victim], str | None]:
    """The live victims of a visible case, in registration order (keyset on seq)."""
    ensure_case_reader(user)
    stmt = visible_victims(user).where(Victim.case_id == case.id)
    if cursor:
        (last,) = decode_cursor(cursor, 1)
        if not last.isdigit():
            raise InvalidInput("cursor", "cursor_invalid")
        stmt = stmt.where(Victim.seq > int(last))
    rows = list(session.scalars(stmt.order_by(Victim.seq).limit(limit + 1)))
    page = rows[:limit]
    return page, encode_cursor(page[-1].seq) if len(rows) > limit else None


def get_victim_detail(session: Session, user: User, victim_id: uuid.UUID) -> VictimRead:
    """A victim's record; identity for roles that may read it, and that read is audited."""
    victim = VICTIMS.visible(session, user, victim_id)
    identity = load_identity(session, victim) if can_read_identity(user) else None
    if identity is not None:
        fields = identity_fields_present(identity)
        VICTIMS.audit(session, AuditAction.read_identity, victim, actor=user, fields=fields)
    return build_victim_read(session, victim, identity=identity)


def update_victim(
    session: Session, victim: Victim, data: VictimUpdate, *, actor: User
) -> VictimRead:
    """Apply a partial update; cross-field rules are checked on the merged record."""
    ensure_case_writer(actor)
    check_version(victim, data.version)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude={"version"})
    check_required(changes)
    merged = {f: changes.get(f, getattr(victim, f)) for f in PROFILE_FIELDS}
    check_purpose(merged["typology"], merged["trafficking_purpose"])
    identity = load_identity(session, victim)
    birth = changes["birth_date"] if "birth_date" in changes else stored_birth_date(identity)
    age = resolve_age(
        intake_on=merged["intake_on"],
        birth_date=birth,
        age_at_intake=changes.get("age_at_intake", None if birth else victim.age_at_intake),
    )
    changed = [f for f in PROFILE_FIELDS if f in changes and getattr(victim, f) != changes[f]]
    for f in changed:
        setattr(victim, f, changes[f])
    if age != victim.age_at_intake:
        victim.age_at_intake = age
        changed.append("age_at_intake")
    for t, answer in (changes.get("violence_history") or {}).items():
        if getattr(victim, f"violence_{t}") != answer:
            setattr(victim, f"violence_{t}", answer)
            changed.append(f"violence_history.{t}")
    if "route" in changes:
        old = [
            RouteLegIn.model_validate(leg)
            for leg in session.scalars(
                select(RouteLeg).where(RouteLeg.victim_id == victim.id).order_by(RouteLeg.position)
            )
        ]
        if old != data.route:
            _replace_route(session, victim, data.route or [])
            changed.append("route")
    identity_values = (
        {
            k: v
            for k, v in data.identity.model_dump(exclude_unset=True).items()
            if k in IDENTITY_FIELDS
        }
        if data.identity
        else {}
    )
    identity, identity_changed = apply_identity(
        session, victim, identity, identity_values, birth_date=changes.get("birth_date", ...)
    )
    changed += identity_changed
    if NAME_FIELDS & set(identity_changed):
        index_victim(session, victim, identity)
    if changed:  # the version moves even when only child rows changed
        VICTIMS.save_update(session, victim, changed, actor=actor)
    return build_victim_read(session, victim, identity=identity)


def search_victims(
    session: Session,
    user: User,
    document_number: str,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Victim], str | None]:
    """Victims of the caller's teams with exactly this document number (blind index)."""
    ensure_case_reader(user)
    candidates = get_keyring().blind_index_candidates(document_number)
    stmt = (
        visible_victims(user)
        .join(VictimIdentity, VictimIdentity.victim_id == Victim.id)
        .where(VictimIdentity.document_index.in_(candidates))
    )
    if cursor:
        (last,) = decode_cursor(cursor, 1)
        try:
            stmt = stmt.where(Victim.id > uuid.UUID(last))
        except ValueError as exc:
            raise InvalidInput("cursor", "cursor_invalid") from exc
    rows = list(session.scalars(stmt.order_by(Victim.id).limit(limit + 1)))
    page = rows[:limit]
    for victim in page:
        # A match discloses who holds that document: treat it as an identity read.
        fields = ["identity.document_number"]
        VICTIMS.audit(
            session, AuditAction.read_identity, victim, actor=user, fields=fields, detail="search"
        )
    return page, encode_cursor(page[-1].id) if len(rows) > limit else None


def find_victims(
    session: Session, user: User, data: VictimSearch, *, limit: int, cursor: str | None
) -> VictimSearchPage:
    """The search endpoint: by name (and document) through app.victims.finding, or by
    document alone as before (every item then matched on its document)."""
    if (data.name or "").strip():
        return finding.search_people(session, user, data, limit=limit, cursor=cursor)
    assert data.document_number is not None  # the schema wants one of the two
    victims, next_cursor = search_victims(
        session, user, data.document_number, limit=limit, cursor=cursor
    )
    match = MatchRead(score=1.0, matched_on=[finding.DOCUMENT])
    return VictimSearchPage(
        items=[finding.as_match(v, match) for v in victims], next_cursor=next_cursor
    )
