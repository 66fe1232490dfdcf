"""Name search and duplicate check at scale: latency, precision and recall.

    python -m bench.names --sizes 10000,100000 --db sqlite,postgresql --pairs 1000

For each database and size: a fresh database (tables from the models, as migrated), a
population of `size` synthetic victims (bench/names_synth.py, generator A) with sealed
identities and their name tokens bulk-loaded, plus the first records of the labelled pairs
of generators A and B. Then:

- search latency: `--queries` name searches (two or three words of a stored person's
  name, some misspelt, half with sex) within three teams of five;
- duplicate check latency and quality: the second record of each labelled pair is checked
  (`app.names.service.duplicates`) against everything stored. Recall: true pairs whose
  first record comes back as a strong match. Precision: of the labelled pairs whose first
  record comes back strong, those that are the same person (look-alikes are the
  negatives). Also printed, stricter: `precision_all_matches`, the share of every strong
  match returned that is the probe's own first record (any homonym the population holds
  by chance counts against it). Per generator, and recall per mix.

Times are wall-clock in this process (no HTTP), after one warm-up pass.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, func, insert, select

import app.models  # noqa: F401  (every model: the mappers and the full schema)
from app.audit.service import append_pending
from app.cases.models import Case
from app.catalogs import TEAM_PREFIX, CaseStatus, Sex, Team, Typology
from app.crypto import configure_keyring
from app.db import Base, install_commit_hooks, make_engine, make_session_factory, seal_rows
from app.names.service import DuplicateCandidate, NameQuery, duplicates, search, token_rows
from app.victims.models import Victim, VictimIdentity
from bench.load import PG_SERVER, database
from bench.names_synth import GeneratorA, GeneratorB, Pair, Person

KEY = "YmVuY2gtbmFtZXMta2V5LW5vdC1zZWNyZXQtMDAwMDA"  # a throwaway key of a throwaway db
BATCH = 5000
TEAMS = list(Team)


def log(msg: str) -> None:
    print(f"[names] {msg}", file=sys.stderr, flush=True)


class Loader:
    """Bulk-loads people: a case per two victims, sealed identities, tokens."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.n = 0
        self.rows: list[tuple[Person, uuid.UUID, Team]] = []

    def add(self, person: Person) -> uuid.UUID:
        vid = uuid.uuid4()
        self.rows.append((person, vid, TEAMS[self.n % len(TEAMS)]))
        self.n += 1
        if len(self.rows) >= BATCH:
            self.flush()
        return vid

    def flush(self) -> None:
        if not self.rows:
            return
        cases, victims, identities, tokens = [], [], [], []
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
                tokens += [(r["token"], vid, r["kind"]) for r in token_rows(vid, p.given, p.family)]
        cols = {c.name for c in Case.__table__.c}
        if "opened_by_team" not in cols:
            for c in cases:
                del c["opened_by_team"]
        with self.engine.begin() as conn:
            conn.execute(insert(Case), cases)
            conn.execute(insert(Victim), victims)
            sealed = seal_rows(cast(Table, VictimIdentity.__table__), identities)
            conn.execute(insert(VictimIdentity), sealed)
            if self.sqlite:
                conn.exec_driver_sql(
                    "INSERT INTO name_tokens (token, victim_id, kind) VALUES (?, ?, ?)",
                    [(t, v.hex, k) for t, v, k in tokens],
                )
            else:
                raw = conn.connection.driver_connection
                copy = "COPY name_tokens (token, victim_id, kind) FROM STDIN"
                with raw.cursor() as cur, cur.copy(copy) as cp:  # type: ignore[union-attr]
                    for row in tokens:
                        cp.write_row(row)
        self.rows.clear()


def candidate(p: Person) -> DuplicateCandidate:
    return DuplicateCandidate(
        p.given,
        p.family,
        sex=Sex(p.sex),
        birth_date=p.birth if p.birth_known else None,
        age_at_intake=p.age,
        intake_on=p.intake_on,
    )


def percentiles(times: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times)
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
        "max_ms": round(ms[-1], 2),
    }


def quality(session: Any, pairs: list[Pair], firsts: list[uuid.UUID]) -> dict[str, Any]:
    tp = fp = fp_pairs = 0
    found_by_mix: Counter[str] = Counter()
    total_by_mix: Counter[str] = Counter()
    fp_by_mix: Counter[str] = Counter()
    times = []
    for pair, first in zip(pairs, firsts, strict=True):
        t0 = time.perf_counter()
        got = [m for m in duplicates(session, candidate(pair.second)) if m.strong]
        times.append(time.perf_counter() - t0)
        total_by_mix[pair.mix] += 1
        hit = any(m.victim_id == first for m in got)
        if pair.same and hit:
            tp += 1
            found_by_mix[pair.mix] += 1
        fp_pairs += (not pair.same) and hit
        wrong = sum(1 for m in got if not (pair.same and m.victim_id == first))
        fp += wrong
        fp_by_mix[pair.mix] += wrong
    true_pairs = sum(1 for p in pairs if p.same)
    return {
        "true_pairs": true_pairs,
        "look_alikes": len(pairs) - true_pairs,
        "recall": round(tp / max(1, true_pairs), 4),
        # Of the labelled pairs found as strong, those truly the same person.
        "precision": round(tp / max(1, tp + fp_pairs), 4),
        # Of every strong match returned, those that are the probe's own first record.
        "precision_all_matches": round(tp / max(1, tp + fp), 4),
        "recall_by_mix": {
            m: round(found_by_mix[m] / total_by_mix[m], 4)
            for m in sorted(total_by_mix)
            if found_by_mix[m] or m in ("typo", "order", "variant")
        },
        "false_matches_by_mix": dict(sorted(fp_by_mix.items())),
        "duplicate_check": percentiles(times),
    }


def search_queries(
    rng: random.Random, people: list[Person], n: int, gen: GeneratorA
) -> list[NameQuery]:
    out = []
    for _ in range(n):
        p = rng.choice(people)
        g, f = p.given.split(), p.family.split()
        words = [g[0], *f] if rng.random() < 0.5 else [g[0], f[0]]
        if rng.random() < 0.3:
            rng.shuffle(words)
        text = " ".join(words)
        if rng.random() < 0.3:
            text = gen.typo(text)
        out.append(NameQuery(text, sex=Sex(p.sex) if rng.random() < 0.5 else None))
    return out


def run(backend: str, size: int, n_pairs: int, n_queries: int, tmp: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"db": backend, "size": size, "load_avg": os.getloadavg()[0]}
    with database(backend, size, tmp, pg_server=PG_SERVER) as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        t0 = time.perf_counter()
        loader = Loader(engine)
        pop = GeneratorA(seed=1)  # the population: list A names, its own seed
        sample: list[Person] = []
        for i in range(size):
            p = pop.person()
            loader.add(p)
            if i % max(1, size // 2000) == 0:
                sample.append(p)
        labelled: dict[str, tuple[list[Pair], list[uuid.UUID]]] = {}
        for gen in (GeneratorA(), GeneratorB()):
            pairs = gen.pairs(n_pairs)
            labelled[type(gen).__name__] = (pairs, [loader.add(p.first) for p in pairs])
        loader.flush()
        result["load_s"] = round(time.perf_counter() - t0, 1)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE" if loader.sqlite else "VACUUM ANALYZE")
        with engine.connect() as conn:
            result["victims"] = conn.scalar(select(func.count()).select_from(Victim))
            result["tokens"] = conn.exec_driver_sql("SELECT count(*) FROM name_tokens").scalar()
        result["tokens_per_victim"] = round(result["tokens"] / result["victims"], 1)
        result["size_mb"] = db_size_mb(engine, url)
        log(f"{backend} {size}: loaded in {result['load_s']} s, {result['tokens']} tokens")
        scope = (
            select(Victim)
            .join(Case, Case.id == Victim.case_id)
            .where(Case.team.in_(TEAMS[:3]), Victim.deleted_at.is_(None), Case.deleted_at.is_(None))
        )
        rng = random.Random(7)
        queries = search_queries(rng, sample, n_queries, GeneratorA(seed=3))
        factory = make_session_factory(engine)
        with factory() as session:
            for q in queries[:20]:  # warm-up
                search(session, q, scope)
            times, hits = [], 0
            for q in queries:
                t0 = time.perf_counter()
                hits += bool(search(session, q, scope))
                times.append(time.perf_counter() - t0)
            result["search"] = {**percentiles(times), "with_results": hits}
            for name, (pairs, firsts) in labelled.items():
                result[name] = quality(session, pairs, firsts)
                q = result[name]
                log(
                    f"{backend} {size} {name}: recall {q['recall']:.2%} precision "
                    f"{q['precision']:.2%} (of all matches {q['precision_all_matches']:.2%}) "
                    f"dup p95 {q['duplicate_check']['p95_ms']} ms"
                )
            log(f"{backend} {size}: search p95 {result['search']['p95_ms']} ms")
        result["load_avg_end"] = os.getloadavg()[0]
        engine.dispose()
    return result


def db_size_mb(engine: Engine, url: str) -> float:
    if engine.dialect.name == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        return round(
            sum(
                Path(f"{path}{s}").stat().st_size
                for s in ("", "-wal")
                if Path(f"{path}{s}").exists()
            )
            / 2**20,
            1,
        )
    with engine.connect() as conn:
        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
        return round(int(size or 0) / 2**20, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--pairs", type=int, default=1000, help="true pairs per generator")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path, default=None, help="append results (JSON lines)")
    args = parser.parse_args(argv)
    configure_keyring(KEY)
    install_commit_hooks(append_pending)
    with tempfile.TemporaryDirectory(prefix="calp-names-") as tmp:
        for backend in args.db.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                res = run(backend, size, args.pairs, args.queries, Path(tmp))
                line = json.dumps(res)
                print(line, flush=True)
                if args.out:
                    with args.out.open("a") as fh:
                        fh.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
