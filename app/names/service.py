"""Finding a person by name, and the duplicate check at intake, over keyed tokens.

The interface other domains use (victims, imports, demo, security, the search API):

- `index_victim(session, victim, identity=None)`: write (replace) the victim's name
  tokens from its identity. Call it after the identity is set or changed (create, update,
  restore of an identity); bulk writers use `token_rows` + `insert_token_rows` instead.
- `search(session, NameQuery(...), victim_scope)` -> `list[NameMatch]`: ranked, best
  first, within `victim_scope` (e.g. `app.scope.visible_victims(user)`).
- `duplicates(session, DuplicateCandidate(...))` -> `list[NameMatch]`: likely earlier
  records of the same person in ALL teams (the caller filters by scope and discloses only
  `strong` ones outside the caller's teams).
- `remove_tokens(session_or_connection, victim_ids)`: drop tokens (anonymisation).

Nothing here audits or checks roles: the callers do (they know who asks and why).
Names are opened in memory to score the candidates the tokens found; they are never
stored, logged or returned.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, delete, insert, select
from sqlalchemy.orm import Session

from app.catalogs import Sex
from app.crypto import DecryptionError, bind, get_keyring
from app.names.candidates import birth_year_estimate, candidates
from app.names.matching import StoredName, duplicate_name_score, search_name_score
from app.names.models import NameToken
from app.names.tokens import query_words_of, victim_tokens
from app.victims.models import Victim, VictimIdentity

# A search or a duplicate check asks birth year or age plus or minus this (a stored birth
# year is estimated from the intake date and the age at intake).
AGE_TOLERANCE = 2
DUPLICATE_AGE_TOLERANCE = 2
# Name likeness (0..1) from which a record is a likely duplicate, and a strong one.
DUPLICATE_MIN_NAME = 0.6
STRONG_MIN_NAME = 0.8
MAX_QUERY_WORDS = 8
# The changed-field names (as the victims service audits them) that change the tokens.
NAME_FIELDS = frozenset({"identity.given_names", "identity.family_names"})


@dataclass(frozen=True)
class NameQuery:
    """A search: `name` is free text (any part of the name, any order); `sex`,
    `birth_year` and `age` (age at intake), when given, narrow the result (± 2 years)."""

    name: str
    sex: Sex | None = None
    birth_year: int | None = None
    age: int | None = None


@dataclass(frozen=True)
class DuplicateCandidate:
    """The person being registered. `exclude`: the new victim's own id (already flushed).
    Birth year comes from `birth_date`, else from `intake_on` minus `age_at_intake`."""

    given_names: str | None
    family_names: str | None
    sex: Sex | None = None
    birth_date: date | None = None
    age_at_intake: int | None = None
    intake_on: date | None = None
    exclude: uuid.UUID | None = None


@dataclass(frozen=True)
class NameMatch:
    """One likely match. `score` 0..1 (best first); `matched_on` names what agreed, in
    this order when present: "name", "sex", then for a search the filters given
    ("birth_year", "age"), for a duplicate "birth_date" (both records hold birth dates
    that agree: the same, or one of day, month, year mistyped) or else "age" (birth years
    from the ages at intake within 2 years). `strong`: the name matches well (every word
    of the shorter name; one typo or spelling variant per word) and so do sex and birth
    date/age (for a search: a filter was given): what may be disclosed across teams."""

    victim_id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    victim_code: str
    team: str
    score: float
    matched_on: list[str] = field(default_factory=list)
    strong: bool = False


# ---------------------------------------------------------------- writing tokens


def token_rows(
    victim_id: uuid.UUID, given_names: str | None, family_names: str | None
) -> list[dict[str, Any]]:
    """Rows of `name_tokens` for one victim (for Core bulk inserts: imports, demo, bench)."""
    return [
        {"token": tok, "victim_id": victim_id, "kind": kind}
        for tok, kind in victim_tokens(given_names, family_names).items()
    ]


def name_token_rows(identities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Token rows of identity rows as bulk writers hold them (plaintext `given_names`,
    `family_names` and `victim_id`, before `seal_rows`)."""
    return [
        row
        for identity in identities
        for row in token_rows(
            identity["victim_id"], identity.get("given_names"), identity.get("family_names")
        )
    ]


def insert_token_rows(conn: Session | Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(NameToken), list(rows))


def remove_tokens(conn: Session | Connection, victim_ids: Iterable[uuid.UUID]) -> None:
    ids = list(victim_ids)
    for start in range(0, len(ids), 500):
        conn.execute(delete(NameToken).where(NameToken.victim_id.in_(ids[start : start + 500])))


def index_victim(session: Session, victim: Victim, identity: VictimIdentity | None = None) -> None:
    """Replace the victim's tokens with those of its current name (none without one).

    `identity`: the victim's identity row when the caller holds it (else it is loaded).
    Flushes first, so the identity and the victim row are in the database."""
    session.flush()
    if identity is None:
        identity = session.get(VictimIdentity, victim.id)
    session.execute(delete(NameToken).where(NameToken.victim_id == victim.id))
    if identity is not None:
        insert_token_rows(
            session, token_rows(victim.id, identity.given_names, identity.family_names)
        )


@dataclass(frozen=True)
class _Opened:
    given_names: str | None
    family_names: str | None
    birth_date: str | None


def _names(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, _Opened]:
    """The candidates' names (and birth dates), opened in memory from the stored
    ciphertexts; a value that does not open in its row counts as missing (reading the
    record itself reports and audits it)."""
    if not ids:
        return {}
    table = VictimIdentity.__table__
    cols = ("given_names", "family_names", "birth_date")
    keyring = get_keyring()
    out = {}
    for row in session.execute(
        select(table.c.victim_id, *(table.c[c] for c in cols)).where(table.c.victim_id.in_(ids))
    ):
        values = []
        for col, stored in zip(cols, row[1:], strict=True):
            try:
                values.append(
                    keyring.open(stored, bind("victim_identities", col, row[0])) if stored else None
                )
            except DecryptionError:
                values.append(None)
        out[row[0]] = _Opened(*values)
    return out


# ---------------------------------------------------------------- the two uses


def search(
    session: Session, query: NameQuery, victim_scope: Select[Any] | None, *, limit: int = 50
) -> list[NameMatch]:
    """Victims whose name matches `query.name`, best first (at most `limit`).

    `victim_scope`: a select of `Victim` joined with `Case` such as
    `app.scope.visible_victims(user)`; its WHERE clause is applied to the candidates
    (None: every live victim). Every query word must match a word of the name (exactly,
    by sound, or one typo away; from three words on one may be missing); `sex`,
    `birth_year` and `age` filter. No audit here: the caller records what it discloses."""
    words = query_words_of([query.name])[:MAX_QUERY_WORDS]
    if not words:
        return []
    filters: list[Any] = []
    if victim_scope is not None and victim_scope.whereclause is not None:
        filters.append(victim_scope.whereclause)
    matched_on = ["name"]
    if query.sex is not None:
        filters.append(Victim.sex == query.sex)
        matched_on.append("sex")
    if query.birth_year is not None:
        est = birth_year_estimate()
        filters.append(
            est.between(query.birth_year - AGE_TOLERANCE, query.birth_year + AGE_TOLERANCE)
        )
        matched_on.append("birth_year")
    if query.age is not None:
        filters.append(
            Victim.age_at_intake.between(query.age - AGE_TOLERANCE, query.age + AGE_TOLERANCE)
        )
        matched_on.append("age")
    need = len(words) if len(words) <= 2 else len(words) - 1
    rows = candidates(session, words, need, filters)
    identities = _names(session, [r[0] for r in rows])
    out = []
    for row in rows:
        identity = identities.get(row[0])
        if identity is None:
            continue
        score = search_name_score(words, StoredName.of(identity.given_names, identity.family_names))
        if score is None:
            continue
        strong = len(matched_on) > 1 and score >= STRONG_MIN_NAME
        out.append(_match(row, score, list(matched_on), strong))
    out.sort(key=lambda m: (-m.score, m.victim_code))
    return out[:limit]


def duplicates(
    session: Session, candidate: DuplicateCandidate, *, limit: int = 20
) -> list[NameMatch]:
    """Earlier records likely of the same person, in every team, best first.

    A record is listed when the names are alike (words in any order or field, most of the
    shorter name covered, a given name matching; one typo or spelling variant per word),
    the sex does not differ and the birth years (estimated from the age at intake) are
    within 2 years; `strong` as NameMatch says. The caller keeps what its user may see."""
    given = query_words_of([candidate.given_names])
    family = [w for w in query_words_of([candidate.family_names]) if w not in given]
    words = [*given, *family][:MAX_QUERY_WORDS]
    if not words:
        return []
    year = _candidate_year(candidate)
    filters: list[Any] = []
    if candidate.exclude is not None:
        filters.append(Victim.id != candidate.exclude)
    if candidate.sex is not None:
        filters.append(Victim.sex == candidate.sex)
    if year is not None:
        est = birth_year_estimate()
        filters.append(est.between(year - DUPLICATE_AGE_TOLERANCE, year + DUPLICATE_AGE_TOLERANCE))
    rows = candidates(session, words, min(2, len(words)), filters, year)
    identities = _names(session, [r[0] for r in rows])
    out = []
    for row in rows:
        identity = identities.get(row[0])
        if identity is None:
            continue
        stored = StoredName.of(identity.given_names, identity.family_names)
        name, fuller = duplicate_name_score(given, family, stored)
        if name < DUPLICATE_MIN_NAME:
            continue
        matched_on = ["name"]
        if candidate.sex is not None:
            matched_on.append("sex")
        agreed = _year_agreement(candidate, identity, year, row.birth_year)
        if agreed:
            matched_on.append(agreed)
        score = 0.55 * name + 0.15 * fuller + 0.15 * (candidate.sex is not None)
        score += 0.15 * bool(agreed)
        strong = name >= STRONG_MIN_NAME and agreed is not None
        out.append(_match(row, round(score, 4), matched_on, strong))
    out.sort(key=lambda m: (-m.score, m.victim_code))
    return out[:limit]


def _candidate_year(candidate: DuplicateCandidate) -> int | None:
    if candidate.birth_date is not None:
        return candidate.birth_date.year
    if candidate.age_at_intake is not None and candidate.intake_on is not None:
        return candidate.intake_on.year - candidate.age_at_intake
    return None


def _year_agreement(
    candidate: DuplicateCandidate, identity: _Opened, year: int | None, est: int | None
) -> str | None:
    """ "birth_date" when both records hold birth dates that agree (the same, or one of
    day, month, year mistyped); None when they disagree; else "age" when the birth years
    (estimated from the age at intake) are within the tolerance."""
    if year is None or est is None:
        return None
    stored_birth = identity.birth_date
    if candidate.birth_date is not None and stored_birth:
        theirs = date.fromisoformat(stored_birth)
        mine = candidate.birth_date
        same = [theirs.year == mine.year, theirs.month == mine.month, theirs.day == mine.day]
        return "birth_date" if sum(same) >= 2 else None
    return "age" if abs(est - year) <= DUPLICATE_AGE_TOLERANCE else None


def _match(row: Any, score: float, matched_on: list[str], strong: bool) -> NameMatch:
    return NameMatch(
        victim_id=row[0],
        case_id=row[1],
        case_code=row[2],
        victim_code=row[3],
        team=str(row[4]),
        score=score,
        matched_on=matched_on,
        strong=strong,
    )
