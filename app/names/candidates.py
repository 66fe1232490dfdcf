"""Finding the candidates of a name search or a duplicate check in the token index.

What goes to the database: first which of the query's keys (each word's own and those one
typo away) exist, one index probe each; then the victims holding the pair tokens of those
keys (app/names/tokens.py), joined to victims and cases for the filters and the scope, the
most words and best matches first. Only ids, codes and filter columns come back: the names
are opened and scored by the caller (app/names/service.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from sqlalchemy import Integer, Select, Uuid, column, extract, func, select, text
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.names.models import NameToken
from app.names.tokens import (
    SOUND,
    Lookup,
    Unit,
    pair_lookups,
    pair_token,
    query_units,
    word_probes,
    word_token,
)
from app.victims.models import Victim

# Candidates the tokens find before the names are opened and scored (most words matched
# first: beyond these, only more of the same common name).
CANDIDATES = 60
# A search joins the victims of this many best token matches first (see candidates).
FIRST_MATCHES = 600


def birth_year_estimate() -> Any:
    return extract("year", Victim.intake_on) - Victim.age_at_intake


def _values(rows: Sequence[tuple[int, ...]]) -> str:
    """Integer rows as a VALUES list of literals (ints we computed: nothing to quote); the
    first column cast to BIGINT so PostgreSQL types the whole column so."""
    first, rest = rows[0], rows[1:]
    head = ", ".join([f"CAST({first[0]} AS BIGINT)", *map(str, first[1:])])
    return ", ".join([f"({head})", *(f"({', '.join(map(str, r))})" for r in rest)])


def _existing(session: Session, units: list[Unit]) -> dict[int, set[str]]:
    """Secret index -> the query keys (own and one typo away) some stored name holds:
    one probe of the token index each, reading no victim's rows beyond the first."""
    probes = word_probes(units)
    sql = (
        f"WITH q(token) AS (VALUES {_values([(t,) for t in probes])}) "
        "SELECT q.token FROM q WHERE EXISTS "
        "(SELECT 1 FROM name_tokens t WHERE t.token = q.token)"
    )
    out: dict[int, set[str]] = {}
    # Straight to the driver: a statement of literals has nothing for SQLAlchemy to bind,
    # and parsing it as text() costs more than running it.
    for (tok,) in session.connection().exec_driver_sql(sql):
        secret, key = probes[tok]
        out.setdefault(secret, set()).add(key)
    return out


# The looked-up rows (token, query word, level) go in as one bound value, so the statement
# is the same text for every search (SQLAlchemy compiles it once; the driver binds it):
# SQLite reads them from a JSON array, PostgreSQL from three arrays.
_LOOKUPS_SQLITE = (
    "SELECT json_extract(value, '$[0]') AS token, json_extract(value, '$[1]') AS word, "
    "json_extract(value, '$[2]') AS level FROM json_each(:lookups)"
)
_LOOKUPS_PG = (
    "SELECT * FROM unnest(CAST(:tokens AS BIGINT[]), CAST(:words AS INTEGER[]), "
    "CAST(:levels AS INTEGER[]))"
)


def _pair_matches(session: Session, lookups: list[Lookup], need: int, first: int | None) -> Any:
    """Per victim holding pair tokens of at least `need` query words: how many (`words`)
    and how well (`weight`: 2 per word by sound, 1 one typo away), as a subquery; only
    the `first` best when given."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    sql = (
        f"WITH q(token, word, level) AS ({_LOOKUPS_SQLITE if sqlite else _LOOKUPS_PG}) "
        "SELECT t.victim_id AS victim_id, COUNT(DISTINCT q.word) AS words, "
        "SUM(q.level) AS weight "
        # CROSS JOIN: SQLite then keeps q outside (probing the index per token) instead of
        # scanning every token; PostgreSQL plans it as the inner join it is.
        "FROM q CROSS JOIN name_tokens t WHERE t.token = q.token "
        "GROUP BY t.victim_id HAVING COUNT(DISTINCT q.word) >= :need"
    )
    # `total`: how many victims matched, before `first` keeps the best of them.
    sql = f"SELECT m.*, COUNT(*) OVER () AS total FROM ({sql}) m"
    if first is not None:
        sql += f" ORDER BY m.words DESC, m.weight DESC, m.victim_id LIMIT {int(first)}"
    if sqlite:
        bound = text(sql).bindparams(lookups=json.dumps(lookups), need=need)
    else:
        tokens, words, levels = (list(c) for c in zip(*lookups, strict=True))
        bound = text(sql).bindparams(tokens=tokens, words=words, levels=levels, need=need)
    cols = (
        column("victim_id", Uuid()),
        column("words", Integer),
        column("weight", Integer),
        column("total", Integer),
    )
    return bound.columns(*cols).subquery("matched")


def _victim_columns() -> list[Any]:
    return [
        Victim.id,
        Victim.case_id,
        Case.code,
        Victim.code,
        Case.team,
        Victim.sex,
        Victim.age_at_intake,
        birth_year_estimate().label("birth_year"),
    ]


def _live(stmt: Select[Any], filters: list[Any]) -> Select[Any]:
    return stmt.join(Case, Case.id == Victim.case_id).where(
        Victim.deleted_at.is_(None), Case.deleted_at.is_(None), *filters
    )


def candidates(
    session: Session, query: list[str], need: int, filters: list[Any], year: int | None = None
) -> list[Any]:
    """Live victims holding at least `need` query words (and passing the filters on
    victims/cases), most words and best matches first (then the birth year nearest
    `year`). Two words and more: through the pair tokens of the keys that exist."""
    units = query_units(query)
    existing = _existing(session, units)
    if need < 2:
        return _single_word(session, units[0], existing, filters)
    if year is None:  # a duplicate check ranks by birth year too: grouped, below
        rows = _walks(session, units[: len(query)], need, existing.get(0, set()), filters)
        if len(rows) >= CANDIDATES:
            return rows
    lookups = pair_lookups(units, existing)
    if not lookups:
        return []
    # A search (no year to rank by) first joins only the best-matching victims by the
    # tokens alone: "María Quispe" matches thousands at national scale, and joining them
    # all to victims and cases for the filters is most of the time. Again in full when
    # fewer than the candidates pass the filters and there were more matches.
    first = None if year is not None else FIRST_MATCHES
    rows = _matched_victims(session, lookups, need, filters, year, first)
    if first is not None and len(rows) < CANDIDATES and (not rows or rows[0].total > first):
        rows = _matched_victims(session, lookups, need, filters, year, None)
    return rows


def _walks(
    session: Session, units: list[Unit], need: int, have: set[str], filters: list[Any]
) -> list[Any]:
    """Candidates class by class, best first, without walking every match of a common
    name: the victims holding every query word (by its own sound when each has one
    stored, else also one typo away); when two words are enough (`need`), then those
    holding two, by sound first.
    Each class walks one pair token at a time in victim order (the index order: it reads
    about as many rows as it keeps), checking each other word per victim by its word
    tokens. The two words walked are those of the pair with the fewest rows (counted up to
    a cap): the other words are then the most common ones, so the fewest rows are read to
    find enough. Stops at CANDIDATES."""
    near = [[k for k in sorted(u.keys, key=lambda k: (u.keys[k], k)) if k in have] for u in units]
    own = [[k for k in ks if units[m].keys[k] == SOUND] for m, ks in enumerate(near)]
    # Every word by its own sound when each has one stored, else by what exists (a typo).
    keys = own if all(own) else near
    found: dict[Any, Any] = {}
    walked: set[int] = set()
    if all(keys):
        i, j = _walk_pair(session, keys)
        rest = [[word_token(k) for k in keys[m]] for m in range(len(units)) if m not in (i, j)]
        _walk_pairs(session, keys[i], keys[j], rest, filters, found, walked)
    if need <= 2 < len(units):  # two words of more
        for keys in [own, near]:
            for i, j in combinations(range(len(units)), 2):
                _walk_pairs(session, keys[i], keys[j], [], filters, found, walked)
    return list(found.values())[:CANDIDATES]


def _walk_pairs(
    session: Session,
    first: list[str],
    second: list[str],
    rest: list[list[int]],
    filters: list[Any],
    found: dict[Any, Any],
    walked: set[int],
) -> None:
    tokens = list(dict.fromkeys(pair_token(a, b) for a in first for b in second))
    if not rest:  # a pair walked to its end already: its rows are in found
        tokens = [tok for tok in tokens if tok not in walked]
        walked.update(tokens)
    if tokens and len(found) < CANDIDATES:
        for row in _walk(session, tokens, rest, filters, CANDIDATES + len(found)):
            found.setdefault(row[0], row)


def _walk_pair(session: Session, keys: list[list[str]]) -> tuple[int, int]:
    if len(keys) == 2:
        return 0, 1
    options = list(combinations(range(len(keys)), 2))
    sizes = _capped_counts(
        session, [[pair_token(a, b) for a in keys[i] for b in keys[j]] for i, j in options]
    )
    return options[sizes.index(min(sizes))]


def _walk(
    session: Session, tokens: list[int], rest: list[list[int]], filters: list[Any], limit: int
) -> list[Any]:
    """Victims of `tokens` holding each of `rest` too, up to `limit`: one token in victim
    order (the index's); several (typo keys) in whatever order the index gives them, so
    the walk still stops at the limit instead of sorting every row."""
    t = NameToken.__table__.alias("t")
    stmt = select(*_victim_columns()).select_from(t).join(Victim, Victim.id == t.c.victim_id)
    stmt = _live(stmt, filters)
    if len(tokens) == 1:
        stmt = stmt.where(t.c.token == tokens[0]).order_by(t.c.victim_id)
    else:
        stmt = stmt.where(t.c.token.in_(tokens))
    for word in rest:  # each other word: one of its tokens, for the same victim
        u = NameToken.__table__.alias()
        stmt = stmt.where(
            select(u.c.token).where(u.c.victim_id == t.c.victim_id, u.c.token.in_(word)).exists()
        )
    return list(session.execute(stmt.limit(limit)))


# How many rows of one word a one-word search reads at most per key (see _single_word).
SINGLE_WORD_ROWS = 5000
# How far a pair's rows are counted to pick the pair to walk (an index walk of this many
# entries at most).
CAP = 5000


def _capped_counts(session: Session, token_sets: list[list[int]]) -> list[int]:
    """How many rows each set of tokens has, counting up to CAP (a bounded index walk)."""
    t = NameToken.__table__
    counts = [
        select(func.count())
        .select_from(select(t.c.victim_id).where(t.c.token.in_(toks)).limit(CAP).subquery())
        .scalar_subquery()
        for toks in token_sets
    ]
    return [int(n) for n in session.execute(select(*counts)).one()]


def _matched_victims(
    session: Session,
    lookups: list[Lookup],
    need: int,
    filters: list[Any],
    year: int | None,
    first: int | None,
) -> list[Any]:
    matched = _pair_matches(session, lookups, need, first)
    order = [matched.c.words.desc(), matched.c.weight.desc()]
    if year is not None:
        order.append(func.abs(birth_year_estimate() - year))
    stmt = _live(
        select(*_victim_columns(), matched.c.total)
        .select_from(matched)
        .join(Victim, Victim.id == matched.c.victim_id),
        filters,
    )
    return list(session.execute(stmt.order_by(*order, Victim.id).limit(CANDIDATES)))


def _single_word(
    session: Session, unit: Unit, existing: dict[int, set[str]], filters: list[Any]
) -> list[Any]:
    """One word: the victims of each existing key in turn (its own sound first, then one
    typo away), walking the token index in victim order until there are enough. Each
    key's walk reads at most SINGLE_WORD_ROWS of its rows: "María" alone with a filter
    that few of them pass (sex male) would otherwise join hundreds of thousands at
    national scale; such a search finds what those rows hold (then the typo keys')."""
    found: dict[Any, Any] = {}
    keys = sorted(unit.keys, key=lambda k: (unit.keys[k], k))
    for secret, have in sorted(existing.items()):
        for tok in (word_token(k, secret) for k in keys if k in have):
            rows = (
                select(NameToken.victim_id)
                .where(NameToken.token == tok)
                .order_by(NameToken.victim_id)
                .limit(SINGLE_WORD_ROWS)
                .subquery()
            )
            stmt = _live(
                select(*_victim_columns())
                .select_from(rows)
                .join(Victim, Victim.id == rows.c.victim_id),
                filters,
            )
            # No ORDER BY outside: the rows come in the walk's order, and the join stops
            # at the limit instead of joining all of them to sort.
            for row in session.execute(stmt.limit(CANDIDATES)):
                found.setdefault(row[0], row)
            if len(found) >= CANDIDATES:
                return list(found.values())[:CANDIDATES]
    return list(found.values())
