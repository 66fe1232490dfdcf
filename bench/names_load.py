"""Bulk loading of the name bench's population: a case per two victims, sealed
identities (real `app.crypto` sealing: the candidates are opened when scored), name tokens.

Fast enough for 1M victims per database in minutes: the tokens of a name are computed
once per distinct name (the population repeats names as a real one does), the token rows
go in by raw executemany (SQLite, foreign keys and fsync off on the throwaway file) or
COPY (PostgreSQL), and the token index on the victim (what replacing a victim's tokens
uses, not a search) is built after the load.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, event, insert

from app.cases.models import Case
from app.catalogs import TEAM_PREFIX, CaseStatus, Sex, Team, Typology
from app.db import seal_rows
from app.names.tokens import _cached_token, name_forms, token_keys
from app.victims.models import Victim, VictimIdentity
from bench.names_synth import Person

BATCH = 20000
TEAMS = list(Team)
VICTIM_INDEX = "ix_name_tokens_victim_id"


@lru_cache(maxsize=1 << 17)
def _forms(given: str, family: str) -> tuple[tuple[str, int], ...]:
    return tuple(name_forms(given, family).items())


def tokens_of(given: str, family: str) -> list[tuple[int, int]]:
    """(token, kind) of a name under the active key: what `victim_tokens` stores."""
    key = token_keys()[0]
    return [(_cached_token(key, form), kind) for form, kind in _forms(given, family)]


def _bulk_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # A throwaway file: no fsync, no foreign-key probe per token row, a large page cache.
    cur = dbapi_conn.cursor()
    for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-1000000"):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


class Loader:
    """Adds people in batches; `finish()` flushes the last one and builds the index."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.n = 0
        self.rows: list[tuple[Person, uuid.UUID, Team]] = []
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {VICTIM_INDEX}")
        if self.sqlite:  # on every connection from now on, before any transaction
            engine.dispose()
            event.listen(engine, "connect", _bulk_pragmas)

    def add(self, person: Person) -> uuid.UUID:
        vid = uuid.uuid4()
        self.rows.append((person, vid, TEAMS[self.n % len(TEAMS)]))
        self.n += 1
        if len(self.rows) >= BATCH:
            self.flush()
        return vid

    def finish(self) -> None:
        self.flush()
        with self.engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE INDEX {VICTIM_INDEX} ON name_tokens (victim_id)")
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE" if self.sqlite else "VACUUM ANALYZE")
        if self.sqlite:
            event.remove(self.engine, "connect", _bulk_pragmas)
            self.engine.dispose()

    def flush(self) -> None:
        if not self.rows:
            return
        cases, victims, identities, tokens = self._records()
        with self.engine.begin() as conn:
            conn.execute(insert(Case), cases)
            conn.execute(insert(Victim), victims)
            sealed = seal_rows(cast(Table, VictimIdentity.__table__), identities)
            conn.execute(insert(VictimIdentity), sealed)
            self._tokens(conn, tokens)
        self.rows.clear()

    def _tokens(self, conn: Connection, tokens: list[tuple[int, uuid.UUID, int]]) -> None:
        if self.sqlite:
            conn.exec_driver_sql(
                "INSERT INTO name_tokens (token, victim_id, kind) VALUES (?, ?, ?)",
                [(t, v.hex, k) for t, v, k in sorted(tokens)],
            )
            return
        raw = conn.connection.driver_connection
        copy = "COPY name_tokens (token, victim_id, kind) FROM STDIN"
        with raw.cursor() as cur, cur.copy(copy) as cp:  # type: ignore[union-attr]
            for row in tokens:
                cp.write_row(row)

    def _records(self) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
        cases: list[dict[str, Any]] = []
        victims: list[dict[str, Any]] = []
        identities: list[dict[str, Any]] = []
        tokens: list[tuple[int, uuid.UUID, int]] = []
        for i in range(0, len(self.rows), 2):
            chunk = self.rows[i : i + 2]
            cid, team = uuid.uuid4(), chunk[0][2]
            seq = self.n - len(self.rows) + i + 1
            year = chunk[0][0].intake_on.year
            code = f"{TEAM_PREFIX[team]}-{year}-{seq:07d}"
            cases.append(
                {
                    "id": cid,
                    "code": code,
                    "team": team,
                    "opened_by_team": team,
                    "year": year,
                    "seq": seq,
                    "opened_on": chunk[0][0].intake_on,
                    "status": CaseStatus.open,
                }
            )
            for k, (p, vid, _) in enumerate(chunk, start=1):
                victims.append(
                    {
                        "id": vid,
                        "case_id": cid,
                        "code": f"{code}-V{k}",
                        "seq": k,
                        "intake_on": p.intake_on,
                        "sex": Sex(p.sex),
                        "age_at_intake": max(0, min(120, p.age)),
                        "nationality": "PE",
                        "typology": Typology.violence_women_family,
                    }
                )
                identities.append(
                    {
                        "victim_id": vid,
                        "given_names": p.given,
                        "family_names": p.family,
                        "birth_date": p.birth.isoformat() if p.birth_known else None,
                    }
                )
                tokens += [(t, vid, kind) for t, kind in tokens_of(p.given, p.family)]
        return cases, victims, identities, tokens
