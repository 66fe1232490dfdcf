"""Finding a person: the name search of `POST /victims/search` and the duplicate check at
intake (API, web form, import), over the matching engine of app.names.

The engine ranks and says how strong a match is; this module decides what the caller
learns: victims of the caller's teams with their match (each an audited identity read, as
the document search), and for other teams only that a strong match exists (case code and
team), each disclosure audited and limited per hour (app.victims.disclosure).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.cases.models import Case
from app.catalogs import Sex
from app.crypto import get_keyring
from app.errors import InvalidInput
from app.names.service import DuplicateCandidate, NameMatch, NameQuery, duplicates, search
from app.pagination import decode_cursor, encode_cursor
from app.scope import ensure_case_reader, visible_victims
from app.users.models import User
from app.victims import disclosure
from app.victims.models import Victim, VictimIdentity
from app.victims.schemas import PossibleDuplicate, VictimItem, VictimSearch
from app.victims.search_schemas import Elsewhere, MatchRead, VictimMatch, VictimSearchPage
from app.work.lifecycle import record_write

NAME_READ = ["identity.family_names", "identity.given_names"]
DOCUMENT = "document_number"
# A search ranks at most this many (the engine's candidates are bounded too).
MAX_RANKED = 200
MAX_DUPLICATES = 20


def _other_teams(user: User) -> Any:
    """Victims outside the caller's teams, as a scope the engine applies."""
    return select(Victim).join(Case, Victim.case_id == Case.id).where(Case.team.not_in(user.teams))


def _document_matches(
    session: Session, number: str | None, *, exclude: uuid.UUID | None = None
) -> list[NameMatch]:
    """Live victims of any team holding exactly this document (blind index), as matches."""
    if not number:
        return []
    stmt = (
        select(Victim.id, Victim.case_id, Case.code, Victim.code, Case.team)
        .join(Case, Case.id == Victim.case_id)
        .join(VictimIdentity, VictimIdentity.victim_id == Victim.id)
        .where(
            VictimIdentity.document_index.in_(get_keyring().blind_index_candidates(number)),
            Victim.deleted_at.is_(None),
            Case.deleted_at.is_(None),
        )
        .order_by(Victim.code)
        .limit(MAX_RANKED)
    )
    if exclude is not None:
        stmt = stmt.where(Victim.id != exclude)
    return [
        NameMatch(
            victim_id=r[0],
            case_id=r[1],
            case_code=r[2],
            victim_code=r[3],
            team=str(r[4]),
            score=1.0,
            matched_on=[DOCUMENT],
            strong=True,
        )
        for r in session.execute(stmt)
    ]


def _merge(*groups: Iterable[NameMatch]) -> list[NameMatch]:
    """One match per victim (best score, what matched in either), best first."""
    best: dict[uuid.UUID, NameMatch] = {}
    for group in groups:
        for m in group:
            seen = best.get(m.victim_id)
            if seen is None:
                best[m.victim_id] = m
                continue
            on = seen.matched_on + [x for x in m.matched_on if x not in seen.matched_on]
            best[m.victim_id] = replace(
                seen, score=max(seen.score, m.score), matched_on=on, strong=seen.strong or m.strong
            )
    return sorted(best.values(), key=lambda m: (-m.score, m.victim_code))


def _one_per_case(matches: Iterable[NameMatch]) -> list[tuple[uuid.UUID, Elsewhere]]:
    """Strong matches as what may be disclosed: one per case, best first."""
    out: dict[str, tuple[uuid.UUID, Elsewhere]] = {}
    for m in matches:
        if m.strong and m.case_code not in out:
            out[m.case_code] = (m.victim_id, Elsewhere(case_code=m.case_code, team=m.team))
    return list(out.values())


# ---------------------------------------------------------------- search


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    kind, value = decode_cursor(cursor, 2)
    if kind != "rank" or not value.isdigit():
        raise InvalidInput("cursor", "cursor_invalid")
    return int(value)


def search_people(
    session: Session, user: User, data: VictimSearch, *, limit: int, cursor: str | None
) -> VictimSearchPage:
    """Victims of the caller's teams matching `data.name` or, when given, the document,
    best first; `elsewhere` (first page only) names strong matches in other teams."""
    ensure_case_reader(user)
    offset = _offset(cursor)
    query = NameQuery(name=data.name or "", sex=data.sex, birth_year=data.birth_year, age=data.age)
    elsewhere: list[Elsewhere] = []
    if offset == 0 and (data.sex or data.birth_year is not None or data.age is not None):
        # Only such a search can be strong: past the limit it is refused whatever exists.
        allowed = disclosure.ensure_may_disclose(session, user)
        found = _one_per_case(search(session, query, _other_teams(user), limit=MAX_RANKED))
        elsewhere = disclosure.disclose(session, user, found, detail="search", allowed=allowed)
    ranked = _merge(
        search(session, query, visible_victims(user), limit=MAX_RANKED),
        [m for m in _document_matches(session, data.document_number) if _mine(m, user)],
    )
    page = ranked[offset : offset + limit]
    rows = {
        v.id: v
        for v in session.scalars(
            visible_victims(user).where(Victim.id.in_([m.victim_id for m in page]))
        )
    }
    items = []
    for m in page:
        victim = rows.get(m.victim_id)
        if victim is None:
            continue
        fields = [*(NAME_READ if "name" in m.matched_on else [])]
        if DOCUMENT in m.matched_on:
            fields.append("identity.document_number")
        # A match says who bears that name (or document): an identity read, as ever.
        record_write(
            session,
            AuditAction.read_identity,
            victim,
            actor=user,
            record_type="victim",
            fields=fields,
            detail="search",
        )
        items.append(as_match(victim, MatchRead(score=m.score, matched_on=m.matched_on)))
    more = len(ranked) > offset + limit
    return VictimSearchPage(
        items=items,
        next_cursor=encode_cursor("rank", offset + limit) if more else None,
        elsewhere=elsewhere,
    )


def _mine(match: NameMatch, user: User) -> bool:
    return match.team in {str(t) for t in user.teams}


def as_match(victim: Victim, match: MatchRead) -> VictimMatch:
    return VictimMatch(**VictimItem.model_validate(victim).model_dump(), match=match)


# ---------------------------------------------------------------- duplicates at intake


@dataclass(frozen=True)
class Person:
    """Who is being registered, as the duplicate check compares them."""

    given_names: str | None
    family_names: str | None
    document_number: str | None
    sex: Sex | None
    birth_date: date | None
    age_at_intake: int | None
    intake_on: date | None

    @classmethod
    def of(cls, identity: dict[str, Any] | None, **profile: Any) -> Person:
        values = identity or {}
        return cls(
            given_names=values.get("given_names"),
            family_names=values.get("family_names"),
            document_number=values.get("document_number"),
            **profile,
        )


@dataclass(frozen=True)
class Duplicates:
    """The likely duplicates shown, and whether other teams were left out (hourly limit)."""

    items: list[PossibleDuplicate]
    withheld: bool = False


def intake_duplicates(
    session: Session,
    actor: User | None,
    person: Person,
    *,
    exclude: uuid.UUID | None = None,
    detail: str = "intake",
) -> Duplicates:
    """Likely earlier records of the person: in the actor's teams with their victim code
    and score; in other teams only strong ones, by case code and team, each disclosure
    audited. Past the hourly limit other teams are left out (`withheld`): registering is
    never refused for it. `actor` None is the operator's command line (every team is its)."""
    compared = {k: v for k, v in vars(person).items() if k != "document_number"}
    candidate = DuplicateCandidate(**compared, exclude=exclude)
    found = _merge(
        duplicates(session, candidate, limit=MAX_DUPLICATES),
        _document_matches(session, person.document_number, exclude=exclude),
    )
    own = [m for m in found if actor is None or _mine(m, actor)]
    items = [
        PossibleDuplicate(
            case_code=m.case_code,
            team=m.team,
            victim_code=m.victim_code,
            score=round(m.score, 2),
            matched_on=m.matched_on,
        )
        for m in own[:MAX_DUPLICATES]
    ]
    if actor is None or not (person.given_names or person.family_names or person.document_number):
        return Duplicates(items)
    # Asked whatever was found: `withheld` then says the limit is spent, not that a
    # match was left out.
    allowed, _ = disclosure.remaining(session, actor)
    others = _one_per_case(m for m in found if m not in own)
    shown = disclosure.disclose(session, actor, others, detail=detail, allowed=allowed)
    items += [PossibleDuplicate(case_code=e.case_code, team=e.team) for e in shown]
    return Duplicates(items, withheld=allowed - len(shown) <= 0)


def import_duplicates(
    session: Session, actor: User | None, rows: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The duplicate check of each victim row of an import (before it is stored, so the
    file's rows are compared with the records already there): `[{"line", "duplicates"}]`
    for the rows that have any."""
    out = []
    for row in rows:
        identity = row.get("identity")
        if not identity:
            continue
        birth = identity.get("birth_date")
        person = Person.of(
            identity,
            sex=row.get("sex"),
            birth_date=date.fromisoformat(birth) if birth else None,
            age_at_intake=row.get("age_at_intake"),
            intake_on=row.get("intake_on"),
        )
        found = intake_duplicates(session, actor, person, detail="import")
        if found.items:
            out.append({"line": row["line"], "duplicates": [d.model_dump() for d in found.items]})
    return out
