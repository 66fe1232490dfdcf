"""What the cell-key protection of the routes costs and what it stops, measured.

    .venv/bin/python -m bench.route_privacy [--sizes 2000,20000] [--seeds 1] [--demo-keys 5]

On the demo data and on generated data (`bench.synth`, SQLite in a temp dir, removed at
the end), protected counts (what casework staff and visualiser tokens get) against exact
ones; the demo is measured under several fresh draws of the victims' record keys:

(a) differencing: for every pair of intake-year ranges one year apart ([y1, y2] and
    [y1, y2 + 1], all teams and each team), the flows and summary places whose record sets
    differ by 1..k-1 victims: the published differences against the true ones, and how
    often the attacker's best guess of the true difference is right (against always
    guessing the commonest one). Also a place's total minus the flows published from it,
    where one or more flows are left out. Then, as a yardstick, random cells one victim
    apart (no data needed).
(b) top 5: how often each published top-5 list equals the exact one, and whether every
    rank whose exact gaps to its neighbours exceed 2 x the noise keeps its place.
(c) the share of flows of k or more victims that are published.

Ranges are composed from per-year answers: years hold disjoint victims, so a range's count
and key sum are sums of its years' (a victim's cell does not depend on the filter);
`check_composition` checks that against the service's own queries and values.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.audit.service import append_pending
from app.catalogs import RouteStage, Team
from app.config import new_key
from app.crypto import configure_keyring
from app.db import install_commit_hooks, make_engine, make_session_factory
from app.demo.loader import load_demo
from app.routes import queries
from app.routes.cellkey import MAX_NOISE, SCALE, Cell, noise
from app.routes.disclosure import Disclosure
from app.routes.queries import RouteFilter
from app.routes.service import TOP, compute_flows, compute_summary
from bench import load
from bench.synth import Generator

K = 5
Stat = Cell  # (exact count, record-key sum)
Stats = dict[object, Stat]
STAGE_PAIRS = [
    (RouteStage.capture, RouteStage.exploitation),
    (RouteStage.capture, RouteStage.transit),
    (RouteStage.transit, RouteStage.exploitation),
]


@dataclass
class Tally:
    """(true, published) differences, ranks, lists and flows counted across datasets."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    totals: list[tuple[int, int]] = field(default_factory=list)
    one_apart_changed: int = 0
    lists: int = 0
    lists_equal: int = 0
    clear_ranks: int = 0
    clear_held: int = 0
    large_flows: int = 0
    large_published: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def best_guess(observations: list[tuple[int, int]]) -> tuple[float, float]:
    """(accuracy of the Bayes-optimal guess of the true value from the published one,
    accuracy of always guessing the commonest true value)."""
    if not observations:
        return (float("nan"), float("nan"))
    by_seen: dict[int, Counter[int]] = {}
    for true, seen in observations:
        by_seen.setdefault(seen, Counter())[true] += 1
    right = sum(c.most_common(1)[0][1] for c in by_seen.values())
    prior = Counter(true for true, _ in observations).most_common(1)[0][1]
    return right / len(observations), prior / len(observations)


def naive_guess(observations: list[tuple[int, int]]) -> float:
    """Accuracy of taking the published difference at face value (clamped to 1..k-1)."""
    right = sum(true == min(max(seen, 1), K - 1) for true, seen in observations)
    return right / max(len(observations), 1)


def _years(session: Session) -> list[int]:
    from sqlalchemy import func, select

    from app.victims.models import Victim

    low, high = session.execute(
        select(func.min(Victim.intake_on), func.max(Victim.intake_on))
    ).one()
    return list(range(low.year, high.year + 1))


def _per_year(session: Session, years: list[int], team: Team | None) -> dict[int, list[Stats]]:
    """Per intake year, (count, key sum) of every kind of published cell: flows per stage
    pair, departments per stage, foreign countries of capture. Years hold disjoint sets of
    victims, so a range's count and key sum are the sums of its years'."""
    out: dict[int, list[Stats]] = {}
    for year in years:
        flt = RouteFilter(year, year, team)
        kinds: list[Mapping[Any, Cell]] = [
            queries.flow_cells(session, flt, a, b) for a, b in STAGE_PAIRS
        ]
        departments = queries.department_cells(session, flt)
        kinds += [departments[stage] for stage in RouteStage]
        kinds.append(queries.foreign_capture_cells(session, flt))
        out[year] = [dict(kind) for kind in kinds]
    return out


def _add(a: Stat, b: Stat) -> Stat:
    return Cell(a.count + b.count, (a.key_sum + b.key_sum) % SCALE)


def _shown(stat: Stat) -> int:
    """The protected value of a cell from its count and key sum (>= k only)."""
    return stat.count + noise(stat.key, stat.count, K)


def check_composition(
    session: Session, years: list[int], per_year: dict[int, list[Stats]], safe: Disclosure
) -> None:
    """A range composed of years publishes what the service publishes for that range."""
    for low, high in ((years[0], years[-1]), (years[len(years) // 2], years[-1])):
        composed: Stats = {}
        for year in range(low, high + 1):
            for key, stat in per_year[year][0].items():
                composed[key] = _add(composed.get(key, Cell()), stat)
        asked = queries.flow_cells(session, RouteFilter(low, high), *STAGE_PAIRS[0])
        assert {key: stat.count for key, stat in composed.items()} == {
            key: cell.count for key, cell in asked.items()
        }
        for key, cell in asked.items():
            if cell.count >= K:
                assert safe.publish(cell) == _shown(composed[key]), (low, high, key)


def differencing(per_year: dict[int, list[Stats]], tally: Tally) -> None:
    """Every range [y1, y2] against [y1, y2 + 1]; each distinct pair of cells once."""
    years = sorted(per_year)
    seen: set[tuple[Stat, Stat]] = set()
    for start, first in enumerate(years):
        running = [dict(kind) for kind in per_year[first]]
        _total_minus_parts(running, tally, seen)
        for nxt in years[start + 1 :]:
            for cells, added in zip(running, per_year[nxt], strict=True):
                for key, extra in added.items():
                    narrow = cells.get(key, Cell())
                    wide = cells[key] = _add(narrow, extra)
                    if not 0 < extra.count < K or narrow.count < K or (narrow, wide) in seen:
                        continue
                    seen.add((narrow, wide))
                    difference = _shown(wide) - _shown(narrow)
                    tally.pairs.append((extra.count, difference))
                    if extra.count == 1 and difference != 0:
                        tally.one_apart_changed += 1
            _total_minus_parts(running, tally, seen)


def _total_minus_parts(kinds: list[Stats], tally: Tally, seen: set[tuple[Stat, Stat]]) -> None:
    """A capture department's total (summary) minus the capture -> exploitation flows
    published from it: what is left is its left-out flows, and the victims captured there
    with no exploitation leg or after a first capture elsewhere."""
    flows, departments = kinds[0], kinds[len(STAGE_PAIRS)]
    shown: dict[object, list[Stat]] = {}
    for key, stat in flows.items():
        origin_country, origin_region = key[0], key[1]  # type: ignore[index]
        if stat.count >= K and origin_country == "PE":
            shown.setdefault(origin_region, []).append(stat)
    for code, total in departments.items():
        parts = shown.get(code, [])
        rest = total.count - sum(part.count for part in parts)
        if total.count < K or not parts or not 0 < rest < K or (total, Cell()) in seen:
            continue
        seen.add((total, Cell()))
        tally.totals.append((rest, _shown(total) - sum(_shown(part) for part in parts)))


def _ranked(sizes: dict[str, int]) -> list[str]:
    return sorted((c for c, n in sizes.items() if n >= K), key=lambda c: (-sizes[c], c))


def top_five(session: Session, flt: RouteFilter, safe: Disclosure, tally: Tally) -> None:
    summary = compute_summary(session, flt, disclosure=safe)
    departments = queries.department_cells(session, flt)
    foreign = queries.foreign_capture_cells(session, flt)
    lists = [
        (departments[s], [p.region or "" for p in getattr(summary, s.value)]) for s in RouteStage
    ]
    lists.append((foreign, [p.country or "" for p in summary.foreign_capture]))
    for cells, published in lists:
        sizes = {code: cell.count for code, cell in cells.items()}
        ranked = _ranked(sizes)
        tally.lists += 1
        tally.lists_equal += published == ranked[:TOP]
        for rank, code in enumerate(ranked[:TOP]):
            neighbours = ranked[max(rank - 1, 0) : rank] + ranked[rank + 1 : rank + 2]
            if all(
                sizes[code] - sizes[o] > 2 * MAX_NOISE or sizes[o] - sizes[code] > 2 * MAX_NOISE
                for o in neighbours
            ):
                tally.clear_ranks += 1
                tally.clear_held += published[rank] == code


def large_flows(session: Session, flt: RouteFilter, safe: Disclosure, tally: Tally) -> None:
    for a, b in STAGE_PAIRS:
        exact = compute_flows(session, flt, disclosure=Disclosure(K), stage_from=a, stage_to=b)
        shown = compute_flows(session, flt, disclosure=safe, stage_from=a, stage_to=b)
        big = {(f.from_.name, f.to.name) for f in exact.flows if f.victims >= K}
        tally.large_flows += len(big)
        tally.large_published += len(big & {(f.from_.name, f.to.name) for f in shown.flows})


def measure(session: Session, label: str, safe: Disclosure) -> Tally:
    started = time.perf_counter()
    tally = Tally()
    years = _years(session)
    filters = [RouteFilter(), *(RouteFilter(y, y) for y in years)]
    filters += [RouteFilter(y, years[-1]) for y in years[1:]]
    filters += [RouteFilter(team=t) for t in Team] + [
        RouteFilter(years[-3], years[-1], t) for t in Team
    ]
    for team in (None, *Team):
        per_year = _per_year(session, years, team)
        if team is None:
            check_composition(session, years, per_year, safe)
        differencing(per_year, tally)
    for flt in filters:
        top_five(session, flt, safe, tally)
        large_flows(session, flt, safe, tally)
    print(
        f"  {label}: {len(filters)} filters, years {years[0]}-{years[-1]},"
        f" {time.perf_counter() - started:.1f} s"
    )
    return tally


def random_cells(
    safe: Disclosure, trials: int = 20_000
) -> tuple[list[int], tuple[float, float], tuple[float, float]]:
    """Random cells (no data): one victim apart; a hidden group of 1..k-1 added to a cell;
    a total of 1-4 published parts and a hidden group of 1..k-1. Cells are drawn from a
    pool of 5,000 victims' record keys (each draw disjoint within a trial)."""
    rng = random.Random(0)
    pool = [rng.randrange(SCALE) for _ in range(5000)]

    def shown(cell: list[int]) -> int:
        value = safe.publish(Cell.of_keys(cell))
        assert value is not None
        return value

    ones, added, totals = [], [], []
    for _ in range(trials):
        drawn = rng.sample(pool, 60 + K + 4 * 30)
        cell, rest = drawn[: rng.randint(K, 60)], drawn[60:]
        ones.append(shown(cell + rest[:1]) - shown(cell))
        hidden = rng.randint(1, K - 1)
        added.append((hidden, shown(cell + rest[:hidden]) - shown(cell)))
        hidden, rest = rng.randint(1, K - 1), rest[K:]
        parts = [rest[30 * i : 30 * i + rng.randint(K, 30)] for i in range(rng.randint(1, 4))]
        total = shown([v for part in parts for v in part] + cell[:hidden])
        totals.append((hidden, total - sum(shown(part) for part in parts)))
    return ones, best_guess(added), best_guess(totals)


def _distribution(values: list[int]) -> str:
    counts = Counter(values)
    return " ".join(f"{v:+d}:{100 * counts[v] / len(values):.1f}%" for v in sorted(counts))


def report(title: str, tally: Tally) -> None:
    print(f"\n== {title}")
    ones = [seen for true, seen in tally.pairs if true == 1]
    print(f"(a) cells one year-range apart, differing by 1..{K - 1} victims: {len(tally.pairs)}")
    if ones:
        print(
            f"    true difference 1 ({len(ones)} cells): published difference {_distribution(ones)}"
        )
        print(
            f"    published = true in {100 * ones.count(1) / len(ones):.1f}%;"
            f" published differs from 0 (the change shows) in"
            f" {100 * tally.one_apart_changed / len(ones):.1f}%"
        )
    for what, observations in (
        ("differences", tally.pairs),
        (f"place total minus its published flows, remainder 1..{K - 1}", tally.totals),
    ):
        accuracy, chance = best_guess(observations)
        fitted = (
            f"best guess fitted on them {100 * accuracy:.1f}%"
            if len(observations) >= 500
            else "too few to fit a guess"
        )
        print(
            f"    {what} ({len(observations)}): taken at face value right in"
            f" {100 * naive_guess(observations):.1f}%, {fitted}"
            f" (commonest true value: {100 * chance:.1f}%; exact counts: 100%)"
        )
    print(
        f"(b) top-5 lists equal to the exact top 5: {tally.lists_equal}/{tally.lists}"
        f" ({100 * tally.lists_equal / max(tally.lists, 1):.1f}%); ranks with gaps"
        f" > {2 * MAX_NOISE} kept: {tally.clear_held}/{tally.clear_ranks}"
    )
    print(
        f"(c) flows of {K}+ victims published: {tally.large_published}/{tally.large_flows}"
        f" ({100 * tally.large_published / max(tally.large_flows, 1):.1f}%)"
    )


@contextmanager
def _database(tmp: Path, name: str) -> Iterator[Session]:
    url = f"sqlite:///{tmp / name}.db"
    engine = make_engine(url)
    load.alembic_migrate(engine)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _protected() -> Disclosure:
    return Disclosure(K, exact=False)


def redraw_record_keys(session: Session) -> None:
    """Fresh random record keys for every victim, as the migration draws them."""
    session.execute(text("UPDATE victims SET route_key = random() & 2147483647"))
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,20000", help="generated victims per dataset")
    parser.add_argument("--seeds", default="1", help="generator seeds")
    parser.add_argument(
        "--demo-keys", type=int, default=5, help="draws of the record keys tried on the demo"
    )
    args = parser.parse_args()
    # The figures hold for any draw of the record keys. The demo, being small, is measured
    # under several draws and pooled.
    keyring = configure_keyring(new_key())
    install_commit_hooks(append_pending)
    print(f"k = {K}, noise at most ±{MAX_NOISE}")
    with tempfile.TemporaryDirectory(prefix="calp-route-privacy-") as tmp_dir:
        tmp = Path(tmp_dir)
        if args.demo_keys:
            demo = Tally()
            with _database(tmp, "demo") as session:
                load_demo(session, fast_hash=True)
                session.commit()
                for i in range(args.demo_keys):
                    if i:
                        redraw_record_keys(session)
                    demo.add(measure(session, f"demo, draw {i + 1}", _protected()))
            report(f"demo data ({args.demo_keys} draws of the record keys pooled)", demo)
        generated = Tally()
        for size in (int(s) for s in args.sizes.split(",") if s):
            for seed in (int(s) for s in args.seeds.split(",") if s):
                url = f"sqlite:///{tmp / f'gen_{size}_{seed}'}.db"
                load.build(url, Generator(size, keyring, seed=seed), log=lambda _: None)
                with _database(tmp, f"gen_{size}_{seed}") as session:
                    label = f"generated, {size} victims, seed {seed}"
                    generated.add(measure(session, label, _protected()))
        if generated.lists:
            report("generated data (all sizes and seeds pooled)", generated)
    ones, added, totals = random_cells(_protected())
    print("\n== random cells (yardstick, 20,000 of each)")
    print(
        f"(a) one victim apart: published difference {_distribution(ones)};"
        f" = true in {100 * ones.count(1) / len(ones):.1f}%"
    )
    for (accuracy, chance), what in (
        (added, f"a hidden group of 1..{K - 1} added to a cell"),
        (totals, f"a total minus 1-4 published parts, 1..{K - 1} left out"),
    ):
        print(f"    {what}: best guess right in {100 * accuracy:.1f}% (chance {100 * chance:.1f}%)")


if __name__ == "__main__":
    main()
