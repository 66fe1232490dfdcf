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

Times are wall-clock in this process (no HTTP), after a warm-up pass of as many other
searches (another seed: the database's pages of common names read once, as on a server
that has been answering for a while, without repeating the timed queries).
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
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

import app.models  # noqa: F401  (every model: the mappers and the full schema)
from app.audit.service import append_pending
from app.cases.models import Case
from app.catalogs import Sex
from app.crypto import configure_keyring
from app.db import Base, install_commit_hooks, make_engine, make_session_factory
from app.names.service import DuplicateCandidate, NameQuery, duplicates, search
from app.victims.models import Victim
from bench.load import PG_SERVER, database
from bench.names_load import TEAMS, Loader
from bench.names_synth import GeneratorA, GeneratorB, Pair, Person

KEY = "YmVuY2gtbmFtZXMta2V5LW5vdC1zZWNyZXQtMDAwMDA"  # a throwaway key of a throwaway db


def log(msg: str) -> None:
    print(f"[names] {msg}", file=sys.stderr, flush=True)


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


def build(engine: Engine, size: int, n_pairs: int) -> dict[str, Any]:
    """The population and the first records of the labelled pairs; what measuring needs
    (the sampled people queries are made of, the first records' ids) as JSON-able data."""
    t0 = time.perf_counter()
    Base.metadata.create_all(engine)
    loader = Loader(engine)
    pop = GeneratorA(seed=1)  # the population: list A names, its own seed
    sample: list[Person] = []
    for i in range(size):
        p = pop.person()
        loader.add(p)
        if i % max(1, size // 2000) == 0:
            sample.append(p)
    labelled = {}
    for gen in (GeneratorA(), GeneratorB()):
        labelled[type(gen).__name__] = [str(loader.add(p.first)) for p in gen.pairs(n_pairs)]
    loader.finish()
    meta: dict[str, Any] = {"load_s": round(time.perf_counter() - t0, 1), "pairs": n_pairs}
    with engine.connect() as conn:
        meta["victims"] = conn.scalar(select(func.count()).select_from(Victim))
        meta["tokens"] = conn.exec_driver_sql("SELECT count(*) FROM name_tokens").scalar()
    meta["sample"] = [
        {**vars(p), "birth": str(p.birth), "intake_on": str(p.intake_on)} for p in sample
    ]
    meta["labelled"] = labelled
    return meta


def people(rows: list[dict[str, Any]]) -> list[Person]:
    return [
        Person(
            **{
                **r,
                "birth": date.fromisoformat(r["birth"]),
                "intake_on": date.fromisoformat(r["intake_on"]),
            }
        )
        for r in rows
    ]


def measure(
    engine: Engine, meta: dict[str, Any], n_queries: int, sample: int | None = None
) -> dict[str, Any]:
    """Search latency, then the duplicate check's latency and quality per generator
    (`sample`: only the first labelled pairs of each, for a quick look)."""
    result: dict[str, Any] = {"load_avg_start": Path("/proc/loadavg").read_text().split()[:3]}
    scope = (
        select(Victim)
        .join(Case, Case.id == Victim.case_id)
        .where(Case.team.in_(TEAMS[:3]), Victim.deleted_at.is_(None), Case.deleted_at.is_(None))
    )
    rng = random.Random(7)
    queries = search_queries(rng, people(meta["sample"]), n_queries, GeneratorA(seed=3))
    gens = {"GeneratorA": GeneratorA(), "GeneratorB": GeneratorB()}
    factory = make_session_factory(engine)
    with factory() as session:
        warm = search_queries(
            random.Random(8), people(meta["sample"]), n_queries, GeneratorA(seed=4)
        )
        for q in warm:
            search(session, q, scope)
        times, hits = [], 0
        for q in queries:
            t0 = time.perf_counter()
            hits += bool(search(session, q, scope))
            times.append(time.perf_counter() - t0)
        result["search"] = {**percentiles(times), "with_results": hits}
        log(f"search p95 {result['search']['p95_ms']} ms")
        for name, ids in meta["labelled"].items():
            pairs = gens[name].pairs(meta["pairs"])[:sample]
            result[name] = q = quality(session, pairs, [uuid.UUID(v) for v in ids][:sample])
            log(
                f"{name}: recall {q['recall']:.2%} precision {q['precision']:.2%} "
                f"(of all matches {q['precision_all_matches']:.2%}) "
                f"dup p50 {q['duplicate_check']['p50_ms']} p95 {q['duplicate_check']['p95_ms']} ms"
            )
    result["load_avg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


def run(backend: str, size: int, args: Any, tmp: Path) -> dict[str, Any]:
    """Build (unless reusing a kept database), then measure (unless --build-only)."""
    base = {"db": backend, "size": size}
    if args.reuse:
        meta = json.loads(meta_file(args.reuse, backend, size).read_text())
        log(f"{backend} {size}: reusing the database built {meta['built_at']}")
        engine = make_engine(meta["url"])
        try:
            return {**base, **summary(meta), **measure(engine, meta, args.queries, args.sample)}
        finally:
            engine.dispose()
    kept = args.keep
    with database(backend, size, tmp, PG_SERVER, keep_dir=kept, is_kept=_KEPT.__contains__) as url:
        engine = make_engine(url)
        meta = {**base, "url": url, "key": KEY, **build(engine, size, args.pairs)}
        meta["size_mb"] = db_size_mb(engine, url)
        meta["built_at"] = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        log(f"{backend} {size}: loaded in {meta['load_s']} s, {meta['tokens']} tokens")
        if kept:
            save_meta(kept, meta)
        try:
            if args.build_only:
                return {**base, **summary(meta)}
            return {**base, **summary(meta), **measure(engine, meta, args.queries, args.sample)}
        finally:
            engine.dispose()


def summary(meta: dict[str, Any]) -> dict[str, Any]:
    out = {k: meta[k] for k in ("load_s", "victims", "tokens", "size_mb", "built_at")}
    out["tokens_per_victim"] = round(meta["tokens"] / meta["victims"], 1)
    return out


_KEPT: set[str] = set()  # URLs whose metadata file this process wrote (kept at the end)


def meta_file(keep_dir: Path, backend: str, size: int) -> Path:
    return keep_dir / f"names-{backend}-{size}.json"


def save_meta(keep_dir: Path, meta: dict[str, Any]) -> None:
    """The kept database's URL, key and samples; 0600: it holds the run's throwaway key."""
    path = meta_file(keep_dir, meta["db"], meta["size"])
    tmp = path.with_suffix(".tmp")
    _KEPT.add(meta["url"])
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(meta, fh)
    tmp.replace(path)


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
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR", help="keep the db")
    parser.add_argument("--reuse", type=Path, default=None, metavar="DIR", help="a kept db")
    parser.add_argument("--sample", type=int, default=None, help="labelled pairs checked")
    parser.add_argument("--build-only", action="store_true", help="with --keep: no timing")
    args = parser.parse_args(argv)
    configure_keyring(KEY)
    install_commit_hooks(append_pending)
    with tempfile.TemporaryDirectory(prefix="calp-names-") as tmp:
        for backend in args.db.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                res = run(backend, size, args, Path(tmp))
                line = json.dumps(res)
                print(line, flush=True)
                if args.out:
                    with args.out.open("a") as fh:
                        fh.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
