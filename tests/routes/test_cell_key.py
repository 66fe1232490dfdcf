"""The cell-key method itself: p-table bounds, record keys, consistency, and what an attacker
subtracting published figures learns (measured over thousands of random cells)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence

import pytest
from sqlalchemy import func, insert, select

from app.catalogs import Role
from app.config import new_key
from app.routes.cellkey import MAX_NOISE, P_TABLE, SCALE, Cell, new_record_key, noise
from app.routes.disclosure import Disclosure
from app.routes.queries import RouteFilter
from app.routes.service import TOP, compute_flows, disclosure_for, top_places
from app.victims.models import Victim
from tests.conftest import make_settings
from tests.factories import make_case
from tests.routes.builders import LIMA, MDD, add_victims, exact, flow, protected

K = 5
PROTECTED = protected(K)


def _keys(rng: random.Random, n: int) -> list[int]:
    """Record keys of `n` distinct victims (drawn as the database's are: uniform)."""
    return [rng.randrange(SCALE) for _ in range(n)]


def _published(cell: Sequence[int], disclosure: Disclosure = PROTECTED) -> int:
    value = disclosure.publish(Cell.of_keys(cell))
    assert value is not None
    return value


def best_guess_accuracy(observations: list[tuple[int, int]]) -> float:
    """Accuracy of the attacker who, seeing a published difference, names the true difference
    most often behind it (the Bayes-optimal guess, fitted on the very trials it is scored on,
    so if anything optimistic for the attacker)."""
    by_seen: dict[int, Counter[int]] = {}
    for true, seen in observations:
        by_seen.setdefault(seen, Counter())[true] += 1
    right = sum(counts.most_common(1)[0][1] for counts in by_seen.values())
    return right / len(observations)


class TestPTable:
    def test_noise_is_bounded_and_never_takes_a_count_below_k(self):
        rng = random.Random(1)
        for k in (3, 5, 8):
            for count in range(k, k + 12):
                seen = {noise(rng.randrange(SCALE), count, k) for _ in range(400)}
                assert all(abs(e) <= MAX_NOISE and count + e >= k for e in seen), (k, count)
                assert len(seen) == len(P_TABLE[min(count - k, 2)])  # every entry reachable

    def test_rows_away_from_the_floor_are_unbiased(self):
        for distance in (1, 2):
            assert sum(e * w for e, w in P_TABLE[distance]) == 0

    def test_the_cell_key_picks_the_entry_by_its_position_in_0_1(self):
        # Row k+2 and above: 20 % each for -2, -1, 0, 1, 2 in that order.
        assert [noise(int(SCALE * x), 9, K) for x in (0, 0.19, 0.21, 0.5, 0.79, 0.99)] == [
            -2,
            -2,
            -1,
            0,
            1,
            2,
        ]
        assert noise(SCALE + 3, 9, K) == noise(3, 9, K)  # modulo 1

    def test_a_cell_below_k_is_never_perturbed(self):
        with pytest.raises(ValueError):
            noise(0, K - 1, K)


class TestRecordKeys:
    def test_random_uniform_and_fit_a_signed_32_bit_column(self):
        keys = [new_record_key() for _ in range(5000)]
        assert all(0 <= key < SCALE < 2**31 + 1 for key in keys)
        assert len(set(keys)) > 4990  # random, not a counter or a constant
        tenths = Counter(key * 10 // SCALE for key in keys)
        assert set(tenths) == set(range(10))
        assert max(tenths.values()) < 600 and min(tenths.values()) > 400

    def test_every_insert_stores_a_random_key_orm_and_core_bulk_alike(self, db):
        orm = add_victims(db, 3, flow(LIMA, MDD))
        case = make_case(db)
        template = {
            c: getattr(orm[0], c)
            for c in ("intake_on", "sex", "age_at_intake", "nationality", "typology")
        }
        template["trafficking_purpose"] = orm[0].trafficking_purpose
        rows = [
            {**template, "case_id": case.id, "code": f"{case.code}-V{i}", "seq": i}
            for i in range(1, 4)
        ]
        db.execute(insert(Victim), rows)  # a Core bulk insert, as the demo and imports do
        stored = list(db.scalars(select(Victim.route_key).where(Victim.case_id == case.id)))
        keys = [v.route_key for v in orm] + stored
        assert len(keys) == 6 and all(0 <= key < SCALE for key in keys)
        assert len(set(keys)) == 6

    def test_a_cell_key_is_the_sum_of_its_record_keys_modulo_the_scale(self):
        keys = [SCALE - 1, SCALE - 1, 5]
        assert Cell.of_keys(keys) == Cell(3, 2 * SCALE + 3)
        assert Cell.of_keys(keys).key == 3
        assert Cell.of_keys(keys[:2]) + Cell.of_keys(keys[2:]) == Cell.of_keys(keys)

    def test_same_set_same_value_in_any_order_and_under_any_disclosure_object(self):
        rng = random.Random(3)
        cell = _keys(rng, 17)
        values = {_published(cell), _published(cell[::-1]), _published(sorted(cell))}
        values.add(_published(cell, protected(K)))  # a fresh Disclosure
        assert len(values) == 1
        assert abs(values.pop() - 17) <= MAX_NOISE
        assert exact(K).publish(Cell.of_keys(cell)) == 17

    def test_the_database_sums_the_stored_keys(self, db):
        group = add_victims(db, 12, flow(LIMA, MDD))
        total = db.scalar(
            select(func.sum(Victim.route_key)).where(Victim.id.in_([v.id for v in group]))
        )
        routes = compute_flows(db, RouteFilter(), disclosure=PROTECTED)
        assert [f.victims for f in routes.flows] == [12 + noise(total, 12, K)]

    def test_figures_do_not_depend_on_the_data_key(self, db, database_url):
        # Rotating CALP_DATA_KEY once redrew every protected figure; it no longer can.
        add_victims(db, 9, flow(LIMA, MDD))
        figures = set()
        for _ in range(3):
            settings = make_settings(database_url, data_key=new_key())
            safe = disclosure_for(Role.lawyer, settings)
            assert not safe.exact
            figures.add(
                tuple(f.victims for f in compute_flows(db, RouteFilter(), disclosure=safe).flows)
            )
        assert len(figures) == 1


def _one_victim_differences(seed: int, trials: int) -> list[tuple[int, int]]:
    """(true, published) differences of cells S and S plus one victim."""
    rng = random.Random(seed)
    out = []
    for _ in range(trials):
        cell = _keys(rng, rng.randint(K, 60))
        bigger = cell + _keys(rng, 1)
        out.append((1, _published(bigger) - _published(cell)))
    return out


class TestDifferencing:
    def test_one_victim_apart_the_published_difference_is_noise(self):
        diffs = [seen for _, seen in _one_victim_differences(4, 4000)]
        share_exact = diffs.count(1) / len(diffs)
        # Uniform noise far from k: P(equal noises) = 0.2; near k somewhat more.
        assert share_exact < 0.3, share_exact
        assert set(diffs) >= {-3, -2, -1, 0, 1, 2, 3, 4, 5}
        assert diffs.count(0) / len(diffs) > 0.1  # "nobody changed" as often as not-rare
        assert abs(sum(diffs) / len(diffs) - 1) < 0.1  # unbiased: the noise averages out

    @staticmethod
    def _size_guessing(
        seed: int, trials: int, make: Callable[[random.Random, int], tuple[int, int]]
    ) -> float:
        """The attacker's best-guess accuracy for a hidden group of 1..k-1 victims."""
        rng = random.Random(seed)
        observations = []
        for _ in range(trials):
            hidden = rng.randint(1, K - 1)
            observations.append((hidden, make(rng, hidden)))
        return best_guess_accuracy(observations)

    def test_a_hidden_group_of_1_to_k_minus_1_cannot_be_sized_from_two_filters(self):
        def two_filters(rng: random.Random, hidden: int) -> int:
            cell = _keys(rng, rng.randint(K + 2, 60))
            return _published(cell + _keys(rng, hidden)) - _published(cell)

        accuracy = self._size_guessing(5, 4000, two_filters)
        # Chance is 1/4; exact counts would give 100 %. Bounded noise (±2) cannot reach
        # chance: the optimal guess is right about 40 % of the time.
        assert 0.25 <= accuracy < 0.5, accuracy

    def test_a_total_minus_its_published_parts_does_not_give_the_hidden_part(self):
        # A place's total (the summary) minus the flows shown from it (each >= k) leaves the
        # left-out flow (1..k-1 victims) plus the noise of every figure involved.
        def total_minus_parts(rng: random.Random, hidden: int) -> int:
            parts = [_keys(rng, rng.randint(K, 30)) for _ in range(rng.randint(1, 4))]
            total = [key for part in parts for key in part] + _keys(rng, hidden)
            return _published(total) - sum(_published(p) for p in parts)

        accuracy = self._size_guessing(6, 4000, total_minus_parts)
        assert 0.25 <= accuracy < 0.45, accuracy

    def test_exact_counts_would_give_the_attacker_everything(self):
        # The yardstick the two tests above are measured against.
        rng = random.Random(7)
        observations = []
        for _ in range(500):
            hidden = rng.randint(1, K - 1)
            cell = _keys(rng, rng.randint(K, 60))
            seen = _published(cell + _keys(rng, hidden), exact(K)) - _published(cell, exact(K))
            observations.append((hidden, seen))
        assert best_guess_accuracy(observations) == 1.0


class TestTopFive:
    def test_published_ranks_hold_wherever_exact_gaps_exceed_twice_the_noise(self):
        rng = random.Random(8)
        checked = 0
        for _ in range(300):
            sizes = {f"{i:02d}": rng.choice((2, 4, 6, 9, 14, 20, 30, 45)) for i in range(1, 12)}
            cells = {code: Cell.of_keys(_keys(rng, n)) for code, n in sizes.items()}
            ranked = sorted((c for c in sizes if sizes[c] >= K), key=lambda c: (-sizes[c], c))
            published = [p.region for p in top_places(cells, PROTECTED, region=True)]
            assert set(published) <= set(ranked) and len(published) == min(TOP, len(ranked))
            for rank, code in enumerate(ranked[:TOP]):
                above = sizes[ranked[rank - 1]] - sizes[code] if rank else None
                below = sizes[code] - sizes[ranked[rank + 1]] if rank + 1 < len(ranked) else None
                if all(gap is None or gap > 2 * MAX_NOISE for gap in (above, below)):
                    assert published[rank] == code, (sizes, published)
                    checked += 1
        assert checked > 300  # the property was exercised, not vacuous
